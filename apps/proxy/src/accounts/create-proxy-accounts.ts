import type { RelayEvent } from '@qwen-relay/contracts';
import {
  type AccountProfile,
  PLAN_MODELS,
  PLAN_PRESETS,
  resolveRegionId,
  type UpstreamAccount,
} from '@qwen-relay/qwen-client';
import {
  type AccountStatus,
  createApiKeyTokenSource,
  createQwenOAuthTokenManager,
  type DiscoveredQwenAccount,
  discoverQwenAccounts,
  getCredentialsPath,
} from '@qwen-relay/token-manager';
import type { ProxyConfig } from '../config/proxy-config';
import type { AccountConfig } from './account-config';
import { createTokenEndpointDispatcher } from './create-token-endpoint-dispatcher';

/**
 * An account the proxy serves from: a token source with a lifecycle, a status for /health and
 * a profile (type, endpoints, models) the client routes by.
 */
export interface ProxyAccount extends UpstreamAccount {
  readonly profile: AccountProfile;
  /** the configured entry (accounts file or QWEN_API_KEY); absent for discovered OAuth files */
  readonly config?: AccountConfig;
  start(): Promise<void>;
  getStatus(): AccountStatus;
  close(): Promise<void>;
}

/** An OAuth account to serve, and whether its credentials file was actually found. */
export interface WantedOAuthAccount
  extends Pick<DiscoveredQwenAccount, 'accountId' | 'credentialsPath'> {
  discovered: boolean;
  /** the accounts-file entry, when the file lists this account */
  config?: AccountConfig;
}

/**
 * The OAuth accounts to serve: the accounts file's qwen-oauth entries and every
 * `oauth_creds*.json` in QWEN_DIR not listed there (same file or same id). With no account at
 * all (`otherAccounts` is 0 too), the default account is still wanted (not discovered): its
 * manager watches the missing file, so a later `qwen-relay auth login` is picked up without a
 * restart (chat answers 401 with a login hint until then).
 */
export async function findWantedOAuthAccounts({
  qwenDir,
  listed = [],
  otherAccounts = 0,
}: {
  qwenDir: string;
  /** qwen-oauth entries of the accounts file */
  listed?: readonly AccountConfig[];
  /** key-based accounts also served */
  otherAccounts?: number;
}): Promise<WantedOAuthAccount[]> {
  const wanted: WantedOAuthAccount[] = listed.map((config) => ({
    accountId: config.id,
    credentialsPath:
      config.credentialsPath ?? getCredentialsPath({ qwenDir, accountId: config.id }),
    discovered: true,
    config,
  }));
  const listedPaths = new Set(wanted.map((account) => account.credentialsPath));
  const listedIds = new Set(wanted.map((account) => account.accountId));
  const discovered = (await discoverQwenAccounts({ qwenDir })).filter(
    (account) => !listedPaths.has(account.credentialsPath) && !listedIds.has(account.accountId),
  );
  for (const { accountId, credentialsPath } of discovered) {
    wanted.push({ accountId, credentialsPath, discovered: true });
  }
  if (wanted.length > 0 || otherAccounts > 0) return wanted;
  const credentialsPath = getCredentialsPath({ qwenDir, accountId: 'default' });
  return [{ accountId: 'default', credentialsPath, discovered: false }];
}

/** The token manager of one OAuth account, configured from the proxy settings. */
export function createOAuthProxyAccount({
  config,
  accountId,
  credentialsPath,
  entry,
  modelAliases,
  onEvent,
}: {
  config: ProxyConfig;
  accountId: string;
  credentialsPath: string;
  /** its accounts-file entry, if listed there */
  entry?: AccountConfig;
  /** the portal aliases (or MODEL_ALIASES) */
  modelAliases: Readonly<Record<string, string>>;
  onEvent: (event: RelayEvent) => void;
}): ProxyAccount {
  const tokenDispatcher = createTokenEndpointDispatcher(entry?.egressProxy);
  const manager = createQwenOAuthTokenManager({
    accountId,
    credentialsPath,
    oauthBaseUrl: config.oauthBaseUrl,
    ...(tokenDispatcher === undefined ? {} : { dispatcher: tokenDispatcher }),
    refreshBufferInMs: config.refreshBufferInMs,
    fileCheckIntervalInMs: config.credentialsCheckIntervalInMs,
    lock: { staleAfterInMs: config.lockStaleInMs },
    onEvent: (event) => onEvent(event),
  });
  const profile: AccountProfile = {
    type: 'qwen-oauth',
    // the portal resolves names itself: any name is sent unless the entry lists models
    ...(entry?.models === undefined ? {} : { models: entry.models }),
    modelAliases,
    ...(entry?.egressProxy === undefined ? {} : { egressProxyUrl: entry.egressProxy }),
    ...(entry?.weight === undefined ? {} : { weight: entry.weight }),
  };
  const close =
    tokenDispatcher === undefined
      ? manager.close
      : async (): Promise<void> => {
          // the last write on close may still refresh through the egress proxy: agent last
          await manager.close();
          await tokenDispatcher.close().catch(() => undefined);
        };
  return { ...manager, close, profile, ...(entry === undefined ? {} : { config: entry }) };
}

/** A key-based account (Coding Plan, Token Plan, pay-as-you-go) from its validated config. */
export function createKeyProxyAccount({
  entry,
  modelAliases,
}: {
  entry: AccountConfig;
  /** MODEL_ALIASES when set, else none: plan hosts know no portal aliases */
  modelAliases: Readonly<Record<string, string>>;
}): ProxyAccount {
  if (entry.type === 'qwen-oauth' || entry.apiKey === undefined || entry.endpoints === undefined) {
    throw new TypeError(`createKeyProxyAccount: ${entry.id} is not a resolved key account`);
  }
  const source = createApiKeyTokenSource({
    accountId: entry.id,
    apiKey: entry.apiKey,
    baseUrl: entry.endpoints.openAIBaseUrl,
  });
  const profile: AccountProfile = {
    type: entry.type,
    // a baseUrl override may point anywhere: then only a configured region is known
    ...(entry.region !== undefined
      ? { regionId: resolveRegionId(entry.region) }
      : entry.baseUrl === undefined
        ? { regionId: PLAN_PRESETS[entry.type].defaultRegionId }
        : {}),
    endpoints: entry.endpoints,
    models: entry.models ?? PLAN_MODELS[entry.type],
    modelAliases,
    ...(entry.egressProxy === undefined ? {} : { egressProxyUrl: entry.egressProxy }),
    ...(entry.weight === undefined ? {} : { weight: entry.weight }),
  };
  return { ...source, profile, config: entry };
}
