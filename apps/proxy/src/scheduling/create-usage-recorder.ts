import type { IncrementStateOptions, StateStore } from '@qwen-relay/state-store';

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
  /** every row in the store (all processes sharing it), sorted by client, account, model */
  list(): Promise<UsageRow[]>;
}

const fields = ['requests', 'promptTokens', 'completionTokens', 'cachedTokens'] as const;
type UsageField = (typeof fields)[number];
const PREFIX = 'usage:';

const encodePart = (part: string) => encodeURIComponent(part);
const usageKey = (usage: { client: string; accountId: string; model: string }, field: UsageField) =>
  `${PREFIX}${encodePart(usage.client)}:${encodePart(usage.accountId)}:${encodePart(usage.model)}:${field}`;

/** Creates the recorder; counters have no expiry (they are totals since the store began). */
export function createUsageRecorder({ store }: { store: StateStore }): UsageRecorder {
  const listIncrements = (usage: UsageRecord): IncrementStateOptions[] => {
    const amounts: Record<UsageField, number> = {
      requests: 1,
      promptTokens: usage.promptTokens ?? 0,
      completionTokens: usage.completionTokens ?? 0,
      cachedTokens: usage.cachedTokens ?? 0,
    };
    return fields
      .filter((field) => Number.isSafeInteger(amounts[field]) && amounts[field] > 0)
      .map((field) => ({ key: usageKey(usage, field), by: amounts[field] }));
  };
  return {
    async record(usage) {
      await store.incrementMany(listIncrements(usage));
    },
    listIncrements,
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
