import { sendJson } from '../http/send-json';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { AT_RISK_STATES, describeAccounts, isAccountServing } from '../status/describe-accounts';

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
  const accounts = describeAccounts(context);
  const storeStatus = context.scheduling.store.status();
  // an account serves when its token is usable and it is not resting after quota/rate limits:
  // every account cooling down means chat calls fail with 429 right now, which is not "ok"
  const serving = accounts.some(isAccountServing);
  const atRisk = accounts.some((account) => AT_RISK_STATES.has(account.state));
  sendJson({
    response: scope.response,
    status: 200,
    body: {
      status: serving && !atRisk ? 'ok' : 'degraded',
      uptimeSeconds: Math.round((Date.now() - context.startedAtInMs) / 1000),
      streamsInFlight: context.streamsInFlight,
      sseWorkers: context.transformRunner.threads,
      stateStore: {
        kind: context.scheduling.store.kind,
        available: storeStatus.available,
        ...(storeStatus.reason === undefined ? {} : { reason: storeStatus.reason }),
      },
      accounts,
    },
  });
}
