import { sendJson } from '../http/send-json';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { assessReadiness } from '../status/assess-readiness';
import { describeAccounts } from '../status/describe-accounts';

/**
 * GET /readyz: 200 when at least one account can serve and the proxy is not draining, else 503
 * with `reason` (`draining` | `no-usable-account`) and a message naming each account's state.
 */
export function handleReadyz({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}): void {
  const readiness = assessReadiness({
    accounts: describeAccounts(context),
    draining: context.isDraining(),
  });
  sendJson({
    response: scope.response,
    status: readiness.ready ? 200 : 503,
    body: readiness.ready
      ? { status: 'ready', usableAccounts: readiness.usableAccounts }
      : { status: 'not-ready', reason: readiness.reason, message: readiness.message },
    headers: { 'Cache-Control': 'no-store' },
  });
}
