import { type RelayEvent, readReason } from '../logging/log-relay-event';
import type { ProxyMetrics } from './create-proxy-metrics';

/** Counts token-manager and qwen-client events into the proxy's metrics. */
export function recordRelayEvent({
  metrics,
  event,
}: {
  metrics: ProxyMetrics;
  event: RelayEvent;
}): void {
  const account = event.accountId ?? 'unknown';
  switch (event.type) {
    case 'attempt':
      metrics.upstreamAttempts.inc({ account });
      return;
    case 'retry':
      metrics.upstreamRetries.inc({ reason: readReason(event) ?? 'unknown' });
      return;
    case 'auth-retry':
      metrics.upstreamRetries.inc({ reason: 'auth' });
      return;
    case 'stream-fallback':
      metrics.upstreamRetries.inc({ reason: 'stream-fallback' });
      return;
    case 'refresh-succeeded':
      metrics.tokenRefreshes.inc({ account, outcome: 'ok' });
      return;
    case 'refresh-failed':
      metrics.tokenRefreshes.inc({ account, outcome: 'failed' });
      return;
    case 'token-adopted':
      metrics.tokenRefreshes.inc({ account, outcome: 'adopted' });
      return;
    case 'persist-failed': {
      const code = (event as RelayEvent & { errnoCode?: unknown }).errnoCode;
      metrics.credentialsWriteFailures.inc({
        account,
        code: typeof code === 'string' ? code : 'unknown',
      });
      return;
    }
    default:
      return;
  }
}
