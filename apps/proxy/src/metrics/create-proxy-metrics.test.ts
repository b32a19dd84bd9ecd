import type { RelayEvent } from '@qwen-relay/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createProxyMetrics, type ProxyMetrics } from './create-proxy-metrics';
import { recordRelayEvent } from './record-relay-event';

describe('createProxyMetrics', () => {
  let metrics: ProxyMetrics | undefined;
  afterEach(() => metrics?.close());

  it('reads account and worker gauges at scrape time and counts relay events', async () => {
    let statuses = [
      { accountId: 'default', state: 'ok', secondsToExpiry: 1200 },
      { accountId: 'work', state: 'needs-reauth' },
    ];
    metrics = createProxyMetrics({
      getAccountStatuses: () => statuses,
      getWorkerPoolStats: () => ({ threads: 2, queueSize: 3 }),
    });
    const attempt = {
      type: 'attempt',
      accountId: 'default',
      attempt: 1,
      endpoint: 'chat',
      stream: false,
      requestId: 'r1',
    } as const;
    const events: RelayEvent[] = [
      attempt,
      attempt,
      {
        type: 'retry',
        accountId: 'default',
        reason: 'rate-limit',
        attempt: 1,
        delayInMs: 5,
        requestId: 'r1',
      },
      { type: 'auth-retry', accountId: 'default', refreshed: true, requestId: 'r1' },
      { type: 'refresh-succeeded', accountId: 'default', expiresAtInMs: 1, durationInMs: 2 },
      {
        type: 'refresh-failed',
        accountId: 'work',
        errorCode: 'QWEN_RELAY_TOKEN_REFRESH_FAILED',
        retryable: true,
        attempt: 1,
        message: 'm',
      },
      {
        type: 'token-adopted',
        accountId: 'default',
        source: 'other-process',
        expiresAtInMs: 1,
      },
      { type: 'needs-reauth', accountId: 'work', message: 'm' },
      {
        type: 'persist-failed',
        accountId: 'default',
        credentialsPath: '/c/oauth_creds.json',
        errnoCode: 'ENOSPC',
        message: 'm',
        attempt: 1,
        retryInMs: 5,
      },
      {
        type: 'persist-recovered',
        accountId: 'default',
        credentialsPath: '/c/oauth_creds.json',
        outcome: 'saved',
        attempts: 2,
      },
    ];
    for (const event of events) {
      recordRelayEvent({ metrics, event });
    }
    const text = await metrics.registry.metrics();
    expect(text).toContain('qwen_relay_upstream_attempts_total{account="default"} 2');
    expect(text).toContain('qwen_relay_upstream_retries_total{reason="rate-limit"} 1');
    expect(text).toContain('qwen_relay_upstream_retries_total{reason="auth"} 1');
    expect(text).toContain('qwen_relay_token_refreshes_total{account="default",outcome="ok"} 1');
    expect(text).toContain('qwen_relay_token_refreshes_total{account="work",outcome="failed"} 1');
    expect(text).toContain(
      'qwen_relay_token_refreshes_total{account="default",outcome="adopted"} 1',
    );
    expect(text).toContain(
      'qwen_relay_credentials_write_failures_total{account="default",code="ENOSPC"} 1',
    );
    expect(text).toContain('qwen_relay_token_seconds_to_expiry{account="default"} 1200');
    expect(text).toContain('qwen_relay_accounts_needing_reauth 1');
    expect(text).toContain('qwen_relay_account_state{account="work",state="needs-reauth"} 1');
    expect(text).toContain('qwen_relay_sse_worker_queue_size 3');
    expect(text).not.toMatch(/\bNaN\b|\bNan\b/);

    // gauges follow the accounts: a recovered account is no longer counted
    statuses = [{ accountId: 'work', state: 'ok', secondsToExpiry: 10 }];
    const after = await metrics.registry.metrics();
    expect(after).toContain('qwen_relay_accounts_needing_reauth 0');
    expect(after).not.toContain('qwen_relay_token_seconds_to_expiry{account="default"}');
  });
});
