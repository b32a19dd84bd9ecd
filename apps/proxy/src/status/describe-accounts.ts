import { formatRegion } from '@qwen-relay/qwen-client';
import type { ProxyContext } from '../server/proxy-context';
import { type QuotaWindowView, readQuotaWindows } from './read-quota-windows';

/** One account as /health, /status.json and /readyz show it: states and times, never a token. */
export interface AccountView {
  accountId: string;
  /** `coding-plan`, `token-plan`, `standard` or `qwen-oauth` */
  type: string;
  authType: string;
  region?: string;
  baseUrl?: string;
  /** host of the egress proxy, never its credentials */
  egressProxy?: string;
  state: string;
  secondsToExpiry?: number;
  /** a refreshed token held only in memory because the credentials file could not be written */
  unsaved?: { since: string; errnoCode?: string; attempts: number };
  expiresAt?: string;
  lastRefresh?: { at: string; outcome: string; errorCode?: string; message?: string };
  message?: string;
  credentialsPath?: string;
  coolingDownUntil?: string;
  cooldownReason?: string;
  windows?: QuotaWindowView[];
}

const SERVING_STATES = new Set(['ok', 'refreshing', 'expiring']);

/** States that still serve while the token lasts, but need an operator: credentials at risk. */
export const AT_RISK_STATES: ReadonlySet<string> = new Set(['unsaved', 'unwritable']);

/** Whether an account can take a request now: a usable token and not resting after limits. */
export function isAccountServing(account: AccountView): boolean {
  const usable =
    SERVING_STATES.has(account.state) ||
    (AT_RISK_STATES.has(account.state) && (account.secondsToExpiry ?? 0) > 0);
  return usable && account.coolingDownUntil === undefined;
}

/** The accounts served now with their token state, last refresh, cooldown and quota windows. */
export function describeAccounts(context: ProxyContext): AccountView[] {
  const schedulingStates = new Map(
    context.client.getAccountStates().map((state) => [state.accountId, state]),
  );
  return context.accounts.current.map((account) => {
    const status = account.getStatus();
    const scheduling = schedulingStates.get(status.accountId);
    const windows =
      readQuotaWindows({ windows: context.scheduling.getWindows(status.accountId) }) ??
      readQuotaWindows(scheduling) ??
      readQuotaWindows(status);
    const { profile } = account;
    return {
      accountId: status.accountId,
      type: profile.type,
      authType: status.authType,
      ...(profile.regionId === undefined ? {} : { region: formatRegion(profile.regionId) }),
      ...(profile.endpoints === undefined ? {} : { baseUrl: profile.endpoints.openAIBaseUrl }),
      // where the traffic leaves from, never the proxy's password
      ...(profile.egressProxyUrl === undefined
        ? {}
        : { egressProxy: new URL(profile.egressProxyUrl).host }),
      state: status.state,
      ...(status.secondsToExpiry === undefined ? {} : { secondsToExpiry: status.secondsToExpiry }),
      ...(status.unsaved === undefined
        ? {}
        : {
            unsaved: {
              since: new Date(status.unsaved.sinceInMs).toISOString(),
              errnoCode: status.unsaved.errnoCode,
              attempts: status.unsaved.attempts,
            },
          }),
      ...(status.expiresAtInMs === undefined
        ? {}
        : { expiresAt: new Date(status.expiresAtInMs).toISOString() }),
      ...(status.lastRefresh === undefined
        ? {}
        : {
            lastRefresh: {
              at: new Date(status.lastRefresh.atInMs).toISOString(),
              outcome: status.lastRefresh.outcome,
              ...(status.lastRefresh.errorCode === undefined
                ? {}
                : { errorCode: status.lastRefresh.errorCode }),
              ...(status.lastRefresh.message === undefined
                ? {}
                : { message: status.lastRefresh.message }),
            },
          }),
      ...(status.message === undefined ? {} : { message: status.message }),
      ...(status.credentialsPath === undefined ? {} : { credentialsPath: status.credentialsPath }),
      ...(scheduling?.coolingDownUntilInMs === undefined
        ? {}
        : {
            coolingDownUntil: new Date(scheduling.coolingDownUntilInMs).toISOString(),
            ...(scheduling.reason === undefined ? {} : { cooldownReason: scheduling.reason }),
          }),
      ...(windows === undefined ? {} : { windows }),
    };
  });
}
