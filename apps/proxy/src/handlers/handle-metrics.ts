import type { ProxyContext, RequestScope } from '../server/proxy-context';

/** GET /metrics: Prometheus text exposition of the proxy's own registry. */
export async function handleMetrics({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}): Promise<void> {
  const text = await context.metrics.registry.metrics();
  scope.response.writeHead(200, {
    'Content-Type': context.metrics.registry.contentType,
    'Content-Length': Buffer.byteLength(text).toString(),
  });
  scope.response.end(text);
}
