import type { RelayEvent } from '@qwen-relay/contracts';
import type { ProxyMetrics } from './create-proxy-metrics';

/**
 * Counts token-manager and qwen-client events into the proxy's metrics. Exhaustive: a new or
 * renamed event does not compile until it is either counted or listed as not counted here.
 */
export function recordRelayEvent({
  metrics,
  event,
}: {
  metrics: ProxyMetrics;
  event: RelayEvent;
}): void {
  const account = event.accountId;
  switch (event.type) {
    case 'attempt':
      metrics.upstreamAttempts.inc({ account });
      return;
    case 'retry':
      metrics.upstreamRetries.inc({ reason: event.reason });
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
    case 'persist-failed':
      metrics.credentialsWriteFailures.inc({ account, code: event.errnoCode });
      return;
    // account states and cooldowns are read from the accounts at scrape time, not counted
    case 'token-served':
    case 'refresh-started':
    case 'lock-waiting':
    case 'lock-acquired':
    case 'lock-stale-removed':
    case 'token-invalidated':
    case 'needs-reauth':
    case 'credentials-unusable':
    case 'recovered':
    case 'auth-error-detected':
    case 'auth-retry-succeeded':
    case 'auth-retry-failed':
    case 'account-cooldown':
    case 'account-recovered':
    case 'persist-recovered':
    case 'interrupted-write-recovered':
    case 'credentials-dir-unwritable':
      return;
    default:
      ignoreUnknownEvent(event);
  }
}

// `never` at compile time (the switch is exhaustive); an event of a newer package at run time
function ignoreUnknownEvent(_event: never): void {}
