import { sendJson } from '../http/send-json';
import { redactSecrets } from '../logging/redact-secrets';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { createStatusSnapshot } from '../status/create-status-snapshot';

/**
 * GET /status.json: the data of the status page (accounts, readiness, traffic per minute, streams
 * in flight). Behind PROXY_API_KEYS like the API. Nothing in it is a secret by construction; the
 * configured keys are still scrubbed from every string, in case an upstream message echoed one.
 */
export function handleStatusJson({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}): void {
  const snapshot = createStatusSnapshot({ context, nowInMs: Date.now() });
  const { proxyApiKeys, apiKey } = context.config;
  sendJson({
    response: scope.response,
    status: 200,
    body: redactSecrets({
      value: snapshot,
      secrets: [...proxyApiKeys, ...(apiKey === undefined ? [] : [apiKey])],
    }),
    headers: { 'Cache-Control': 'no-store' },
  });
}
