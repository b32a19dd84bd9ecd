import { redactSecretsInValue } from '@qwen-relay/contracts';
import { sendJson } from '../http/send-json';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { createStatusSnapshot } from '../status/create-status-snapshot';

/**
 * GET /status.json: the data of the status page (accounts, readiness, traffic per minute, streams
 * in flight). Behind PROXY_API_KEYS like the API. Nothing in it is a secret by construction; the
 * keys and tokens the process holds are still scrubbed from every string, in case an upstream message echoed one.
 */
export function handleStatusJson({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}): void {
  const snapshot = createStatusSnapshot({ context, nowInMs: Date.now() });
  sendJson({
    response: scope.response,
    status: 200,
    // the proxy registers its keys at start, so they are removed by value too
    body: redactSecretsInValue(snapshot),
    headers: { 'Cache-Control': 'no-store' },
  });
}
