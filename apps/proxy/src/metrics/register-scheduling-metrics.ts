import { Counter, Gauge, type Registry } from 'prom-client';
import type { PlanWindowState } from '../scheduling/create-plan-window-tracker';

/** What one served request adds to the usage counters. */
export interface ServedUsage {
  client: string;
  account: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
}

/** The counters the scheduling feeds; gauges read the windows and the store at scrape time. */
export interface SchedulingMetrics {
  readonly upstreamLimits: Counter<'account' | 'kind'>;
  /**
   * counts a served request in `qwen_relay_usage_requests_total`, `…_usage_tokens_total` and
   * `…_prompt_cache_hits_total`; summed per label set and handed to prom-client when it collects
   * (a scrape), so a request costs a map update instead of five label hashes
   */
  recordServed(usage: ServedUsage): void;
}

interface PendingUsage {
  labels: { client: string; account: string; model: string };
  requests: number;
  prompt: number;
  completion: number;
  cached: number;
  cacheHits: number;
}

/**
 * Registers the quota and usage metrics: plan windows per account (used, limit, reset time),
 * limits hit by kind, requests and tokens per client / account / model, prompt-cache hits per
 * account, and whether the state store is reachable (`qwen_relay_redis_up` in cluster mode).
 */
export function registerSchedulingMetrics({
  registry,
  listAccountIds,
  getWindows,
  getStoreStatus,
  storeKind,
}: {
  registry: Registry;
  listAccountIds: () => readonly string[];
  getWindows: (accountId: string) => PlanWindowState[];
  getStoreStatus: () => { available: boolean };
  storeKind: 'memory' | 'file' | 'redis';
}): SchedulingMetrics {
  const eachWindow = (
    visit: (labels: { account: string; window: string }, window: PlanWindowState) => void,
  ) => {
    for (const accountId of listAccountIds()) {
      for (const window of getWindows(accountId)) {
        visit({ account: accountId, window: window.name }, window);
      }
    }
  };
  new Gauge({
    name: 'qwen_relay_quota_window_used',
    help: 'Requests counted in each plan window of each account (all replicas sharing the store)',
    labelNames: ['account', 'window'],
    registers: [registry],
    collect() {
      this.reset();
      eachWindow((labels, window) => this.set(labels, window.used));
    },
  });
  new Gauge({
    name: 'qwen_relay_quota_window_limit',
    help: 'Request limit of each plan window of each account (tier or `limits`)',
    labelNames: ['account', 'window'],
    registers: [registry],
    collect() {
      this.reset();
      eachWindow((labels, window) => {
        if (window.limit !== undefined) this.set(labels, window.limit);
      });
    },
  });
  new Gauge({
    name: 'qwen_relay_quota_window_resets_at_seconds',
    help: 'When each plan window frees capacity again (Unix time, seconds)',
    labelNames: ['account', 'window'],
    registers: [registry],
    collect() {
      this.reset();
      eachWindow((labels, window) => this.set(labels, Math.round(window.resetsAtInMs / 1000)));
    },
  });
  new Gauge({
    name: 'qwen_relay_quota_window_spent',
    help: 'Whether each plan window is spent (1) — the account is not used until it resets',
    labelNames: ['account', 'window'],
    registers: [registry],
    collect() {
      this.reset();
      eachWindow((labels, window) => this.set(labels, window.spent ? 1 : 0));
    },
  });
  new Gauge({
    name: storeKind === 'redis' ? 'qwen_relay_redis_up' : 'qwen_relay_state_store_up',
    help:
      storeKind === 'redis'
        ? 'Whether Redis (cluster state) is reachable (1) or not (0: per-process fallback)'
        : 'Whether the state store is usable (1) or not (0)',
    registers: [registry],
    collect() {
      this.set(getStoreStatus().available ? 1 : 0);
    },
  });
  // registered before the usage counters: /metrics lists them in this order
  const upstreamLimits = new Counter({
    name: 'qwen_relay_upstream_limits_total',
    help: 'Limits the upstream reported, by account and kind (requests-per-minute, tokens-per-minute, burst, free-quota-exhausted, plan-window, auth)',
    labelNames: ['account', 'kind'],
    registers: [registry],
  });
  // served requests since the last collect, per client / account / model
  const pending = new Map<string, PendingUsage>();
  const counters: {
    requests?: Counter<'client' | 'account' | 'model'>;
    tokens?: Counter<'client' | 'account' | 'model' | 'kind'>;
    cacheHits?: Counter<'account'>;
  } = {};
  // called by each of the three counters' collect: whichever is collected first hands over all
  const flushPending = () => {
    const { requests, tokens, cacheHits } = counters;
    if (requests === undefined || tokens === undefined || cacheHits === undefined) return;
    for (const usage of pending.values()) {
      requests.inc(usage.labels, usage.requests);
      for (const [kind, amount] of [
        ['prompt', usage.prompt],
        ['completion', usage.completion],
        ['cached', usage.cached],
      ] as const) {
        if (amount > 0) tokens.inc({ ...usage.labels, kind }, amount);
      }
      if (usage.cacheHits > 0) cacheHits.inc({ account: usage.labels.account }, usage.cacheHits);
    }
    pending.clear();
  };
  counters.requests = new Counter({
    name: 'qwen_relay_usage_requests_total',
    help: 'Requests served, by client (PROXY_API_KEYS name), account and model',
    labelNames: ['client', 'account', 'model'],
    registers: [registry],
    collect: flushPending,
  });
  counters.tokens = new Counter({
    name: 'qwen_relay_usage_tokens_total',
    help: 'Tokens used, by client, account, model and kind (prompt, completion, cached)',
    labelNames: ['client', 'account', 'model', 'kind'],
    registers: [registry],
    collect: flushPending,
  });
  counters.cacheHits = new Counter({
    name: 'qwen_relay_prompt_cache_hits_total',
    help: 'Requests whose prompt was partly served from the upstream cache (cached_tokens > 0), by account',
    labelNames: ['account'],
    registers: [registry],
    collect: flushPending,
  });
  return {
    upstreamLimits,
    recordServed({ client, account, model, promptTokens, completionTokens, cachedTokens }) {
      const key = `${client}\u0000${account}\u0000${model}`;
      let usage = pending.get(key);
      if (usage === undefined) {
        usage = {
          labels: { client, account, model },
          requests: 0,
          prompt: 0,
          completion: 0,
          cached: 0,
          cacheHits: 0,
        };
        pending.set(key, usage);
      }
      usage.requests += 1;
      if (promptTokens > 0) usage.prompt += promptTokens;
      if (completionTokens > 0) usage.completion += completionTokens;
      if (cachedTokens > 0) {
        usage.cached += cachedTokens;
        usage.cacheHits += 1;
      }
    },
  };
}
