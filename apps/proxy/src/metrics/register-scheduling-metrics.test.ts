import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerSchedulingMetrics } from './register-scheduling-metrics';

function createMetrics() {
  const registry = new Registry();
  const metrics = registerSchedulingMetrics({
    registry,
    listAccountIds: () => [],
    getWindows: () => [],
    getStoreStatus: () => ({ available: true }),
    storeKind: 'memory',
  });
  return { registry, metrics };
}

const served = { client: 'alice', account: 'cp-1', model: 'qwen3-coder-plus' };

describe('registerSchedulingMetrics', () => {
  it('reports every served request and its tokens at the next scrape, per label set', async () => {
    const { registry, metrics } = createMetrics();
    metrics.recordServed({ ...served, promptTokens: 10, completionTokens: 5, cachedTokens: 0 });
    metrics.recordServed({ ...served, promptTokens: 7, completionTokens: 0, cachedTokens: 4 });
    metrics.recordServed({
      ...served,
      client: 'bob',
      promptTokens: 0,
      completionTokens: 0,
      cachedTokens: 0,
    });
    const text = await registry.metrics();
    const labels = 'client="alice",account="cp-1",model="qwen3-coder-plus"';
    expect(text).toContain(`qwen_relay_usage_requests_total{${labels}} 2`);
    expect(text).toContain(
      'qwen_relay_usage_requests_total{client="bob",account="cp-1",model="qwen3-coder-plus"} 1',
    );
    expect(text).toContain(`qwen_relay_usage_tokens_total{${labels},kind="prompt"} 17`);
    expect(text).toContain(`qwen_relay_usage_tokens_total{${labels},kind="completion"} 5`);
    expect(text).toContain(`qwen_relay_usage_tokens_total{${labels},kind="cached"} 4`);
    expect(text).not.toContain('client="bob",account="cp-1",model="qwen3-coder-plus",kind=');
    expect(text).toContain('qwen_relay_prompt_cache_hits_total{account="cp-1"} 1');
    // counters keep counting across scrapes, whichever metric is read first
    metrics.recordServed({ ...served, promptTokens: 1, completionTokens: 1, cachedTokens: 1 });
    const tokens = await registry.getSingleMetric('qwen_relay_usage_tokens_total')?.get();
    expect(tokens?.values.find((value) => value.labels.kind === 'prompt')?.value).toBe(18);
    const again = await registry.metrics();
    expect(again).toContain(`qwen_relay_usage_requests_total{${labels}} 3`);
    expect(again).toContain('qwen_relay_prompt_cache_hits_total{account="cp-1"} 2');
  });

  it('lists the limits counter before the usage counters, as before', async () => {
    const { registry } = createMetrics();
    const names = (await registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names.indexOf('qwen_relay_upstream_limits_total')).toBeLessThan(
      names.indexOf('qwen_relay_usage_requests_total'),
    );
  });
});
