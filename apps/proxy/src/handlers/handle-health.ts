import { formatRegion } from '@qwen-relay/qwen-client';
import { sendJson } from '../http/send-json';
import type { ProxyContext, RequestScope } from '../server/proxy-context';

const SERVING_STATES = new Set(['ok', 'refreshing', 'expiring']);
/** states that still serve while the token lasts, but need an operator: credentials at risk */
const AT_RISK_STATES = new Set(['unsaved', 'unwritable']);

/**
 * GET /health: always 200 while the process serves, with each account's type, state, seconds to
 * expiry, last refresh result and running cooldown, so a needs-reauth or resting account is
 * visible without failing probes. `status` is `ok` while at least one account can serve now and
 * no account's credentials are at risk (`unsaved`: refreshed credentials could not be written;
 * `unwritable`: the credentials directory refuses the lock), else `degraded`. Never a token.
 */
export function handleHealth({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}): void {
  const cooldowns = new Map(
    context.client.getAccountStates().map((state) => [state.accountId, state]),
  );
  const accounts = context.accounts.current.map((account) => {
    const status = account.getStatus();
    const cooldown = cooldowns.get(status.accountId);
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
      ...(cooldown?.coolingDownUntilInMs === undefined
        ? {}
        : {
            coolingDownUntil: new Date(cooldown.coolingDownUntilInMs).toISOString(),
            cooldownReason: cooldown.reason,
          }),
    };
  });
  // an account serves when its token is usable and it is not resting after quota/rate limits:
  // every account cooling down means chat calls fail with 429 right now, which is not "ok"
  const serving = accounts.some(
    (account) =>
      (SERVING_STATES.has(account.state) ||
        (AT_RISK_STATES.has(account.state) && (account.secondsToExpiry ?? 0) > 0)) &&
      account.coolingDownUntil === undefined,
  );
  const atRisk = accounts.some((account) => AT_RISK_STATES.has(account.state));
  sendJson({
    response: scope.response,
    status: 200,
    body: {
      status: serving && !atRisk ? 'ok' : 'degraded',
      uptimeSeconds: Math.round((Date.now() - context.startedAtInMs) / 1000),
      streamsInFlight: context.streamsInFlight,
      sseWorkers: context.transformRunner.threads,
      accounts,
    },
  });
}
