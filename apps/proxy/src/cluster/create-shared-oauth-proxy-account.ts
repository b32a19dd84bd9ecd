import type { SharedTokenEvent } from '@qwen-relay/contracts';
import type { AccountProfile } from '@qwen-relay/qwen-client';
import type { StateStore } from '@qwen-relay/state-store';
import type { AccountStatus } from '@qwen-relay/token-manager';
import type { AccountConfig } from '../accounts/account-config';
import type { ProxyAccount } from '../accounts/create-proxy-accounts';
import { createTokenEndpointDispatcher } from '../accounts/create-token-endpoint-dispatcher';
import type { ProxyConfig } from '../config/proxy-config';
import {
  createSharedOAuthTokenSource,
  type SharedAccountStatus,
} from './create-shared-oauth-token-source';

/** Maps the shared source's status to the account status /health, metrics and the page show. */
export function convertSharedStatus({
  status,
  nowInMs,
}: {
  status: SharedAccountStatus;
  nowInMs: number;
}): AccountStatus {
  const state: AccountStatus['state'] =
    status.state === 'store-unavailable'
      ? status.expiresAtInMs !== undefined && status.expiresAtInMs > nowInMs
        ? 'ok'
        : 'expired'
      : status.state;
  return {
    accountId: status.accountId,
    authType: 'qwen-oauth',
    state,
    ...(status.expiresAtInMs === undefined
      ? {}
      : {
          expiresAtInMs: status.expiresAtInMs,
          secondsToExpiry: Math.round((status.expiresAtInMs - nowInMs) / 1000),
        }),
    ...(status.lastRefresh === undefined ? {} : { lastRefresh: status.lastRefresh }),
    ...(status.message === undefined ? {} : { message: status.message }),
  };
}

/**
 * An OAuth account of the cluster: credentials in the state store, refreshed only under the
 * account's lease (see createSharedOAuthTokenSource), optionally mirrored to a qwen-code file.
 */
export function createSharedOAuthProxyAccount({
  config,
  entry,
  store,
  replicaId,
  modelAliases,
  mirrorPath,
  onEvent,
}: {
  config: ProxyConfig;
  entry: AccountConfig;
  store: StateStore;
  replicaId: string;
  modelAliases: Readonly<Record<string, string>>;
  mirrorPath?: string | undefined;
  onEvent: (event: SharedTokenEvent) => void;
}): ProxyAccount {
  const tokenDispatcher = createTokenEndpointDispatcher(entry.egressProxy);
  const source = createSharedOAuthTokenSource({
    accountId: entry.id,
    store,
    replicaId,
    oauthBaseUrl: config.oauthBaseUrl,
    ...(tokenDispatcher === undefined ? {} : { dispatcher: tokenDispatcher }),
    refreshBufferInMs: config.refreshBufferInMs,
    leaseTtlInMs: config.redis?.leaseInMs ?? 45_000,
    ...(mirrorPath === undefined ? {} : { mirrorPath }),
    onEvent,
  });
  const profile: AccountProfile = {
    type: 'qwen-oauth',
    ...(entry.models === undefined ? {} : { models: entry.models }),
    modelAliases,
    ...(entry.egressProxy === undefined ? {} : { egressProxyUrl: entry.egressProxy }),
    ...(entry.weight === undefined ? {} : { weight: entry.weight }),
  };
  return {
    accountId: entry.id,
    getAccessToken: (options) => source.getAccessToken(options),
    peekAccessToken: () => source.peekAccessToken?.(),
    invalidate: (token, reason) => source.invalidate(token, reason),
    profile,
    config: entry,
    async start() {
      await source.reload().catch(() => undefined);
    },
    getStatus: () => convertSharedStatus({ status: source.status(), nowInMs: Date.now() }),
    async close() {
      await source.close();
      await tokenDispatcher?.close().catch(() => undefined);
    },
  };
}
