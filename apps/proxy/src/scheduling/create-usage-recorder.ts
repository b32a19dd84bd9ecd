import type { IncrementStateOptions, StateStore } from '@qwen-relay/state-store';
import type { BatchedCounter, CounterBatcher } from './create-counter-batcher';

/** Token and request counts of one client, account and model. */
export interface UsageRow {
  client: string;
  accountId: string;
  model: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
}

/** What one served request used. */
export interface UsageRecord {
  /** the client's name from `PROXY_API_KEYS` (`name:key`), or `anonymous` */
  client: string;
  accountId: string;
  model: string;
  promptTokens?: number | undefined;
  completionTokens?: number | undefined;
  cachedTokens?: number | undefined;
}

/** Persists usage per client, account and model in the state store. */
export interface UsageRecorder {
  record(usage: UsageRecord): Promise<void>;
  /** the store increments that record `usage` (its nonzero counters), for an `incrementMany` */
  listIncrements(usage: UsageRecord): IncrementStateOptions[];
  /** adds `usage` (its nonzero counters) to a batcher's pending sums */
  addTo(batcher: Pick<CounterBatcher, 'add'>, usage: UsageRecord): void;
  /** every row in the store (all processes sharing it), sorted by client, account, model */
  list(): Promise<UsageRow[]>;
}

const fields = ['requests', 'promptTokens', 'completionTokens', 'cachedTokens'] as const;
type UsageField = (typeof fields)[number];
const PREFIX = 'usage:';

const encodePart = (part: string) => encodeURIComponent(part);
const usageKey = (usage: { client: string; accountId: string; model: string }, field: UsageField) =>
  `${PREFIX}${encodePart(usage.client)}:${encodePart(usage.accountId)}:${encodePart(usage.model)}:${field}`;

// every served request adds to its four counters: built once per client, account and model
// (a handful of each), not encoded again per request
const MAX_CACHED_COUNTER_SETS = 1_024;
type UsageCounters = Record<UsageField, BatchedCounter>;
const cachedCounterSets = new Map<string, Map<string, Map<string, UsageCounters>>>();
let cachedCounterSetCount = 0;

function readUsageCounters(usage: {
  client: string;
  accountId: string;
  model: string;
}): UsageCounters {
  let byAccount = cachedCounterSets.get(usage.client);
  let byModel = byAccount?.get(usage.accountId);
  const cached = byModel?.get(usage.model);
  if (cached !== undefined) return cached;
  if (cachedCounterSetCount >= MAX_CACHED_COUNTER_SETS) {
    cachedCounterSets.clear();
    cachedCounterSetCount = 0;
    byAccount = undefined;
    byModel = undefined;
  }
  const counters: UsageCounters = {
    requests: { key: usageKey(usage, 'requests') },
    promptTokens: { key: usageKey(usage, 'promptTokens') },
    completionTokens: { key: usageKey(usage, 'completionTokens') },
    cachedTokens: { key: usageKey(usage, 'cachedTokens') },
  };
  if (byAccount === undefined) {
    byAccount = new Map();
    cachedCounterSets.set(usage.client, byAccount);
  }
  if (byModel === undefined) {
    byModel = new Map();
    byAccount.set(usage.accountId, byModel);
  }
  byModel.set(usage.model, counters);
  cachedCounterSetCount += 1;
  return counters;
}

/** Creates the recorder; counters have no expiry (they are totals since the store began). */
export function createUsageRecorder({ store }: { store: StateStore }): UsageRecorder {
  // the one place that says which counters a usage adds to, and by how much
  const addTo = (batcher: Pick<CounterBatcher, 'add'>, usage: UsageRecord): void => {
    const counters = readUsageCounters(usage);
    batcher.add(counters.requests, 1);
    if (usage.promptTokens !== undefined) batcher.add(counters.promptTokens, usage.promptTokens);
    if (usage.completionTokens !== undefined) {
      batcher.add(counters.completionTokens, usage.completionTokens);
    }
    if (usage.cachedTokens !== undefined) batcher.add(counters.cachedTokens, usage.cachedTokens);
  };
  const listIncrements = (usage: UsageRecord): IncrementStateOptions[] => {
    const increments: IncrementStateOptions[] = [];
    addTo(
      {
        // a zero, a negative or a fractional amount is no increment (the batcher ignores it too)
        add: ({ key }, by) => {
          if (Number.isSafeInteger(by) && by > 0) increments.push({ key, by });
        },
      },
      usage,
    );
    return increments;
  };
  return {
    async record(usage) {
      await store.incrementMany(listIncrements(usage));
    },
    listIncrements,
    addTo,
    async list() {
      const keys = await store.listKeys(PREFIX);
      const values = await store.getMany(keys);
      const rows = new Map<string, UsageRow>();
      keys.forEach((key, index) => {
        const parts = key.slice(PREFIX.length).split(':');
        if (parts.length !== 4) return;
        const [client, accountId, model, field] = parts as [string, string, string, UsageField];
        if (!fields.includes(field)) return;
        const id = `${client}:${accountId}:${model}`;
        let row = rows.get(id);
        if (row === undefined) {
          row = {
            client: decodeURIComponent(client),
            accountId: decodeURIComponent(accountId),
            model: decodeURIComponent(model),
            requests: 0,
            promptTokens: 0,
            completionTokens: 0,
            cachedTokens: 0,
          };
          rows.set(id, row);
        }
        row[field] = Number(values[index] ?? 0);
      });
      return [...rows.values()].sort(
        (a, b) =>
          a.client.localeCompare(b.client) ||
          a.accountId.localeCompare(b.accountId) ||
          a.model.localeCompare(b.model),
      );
    },
  };
}
