import type { StoredResponse } from '@qwen-relay/openai-adapter';
import type { StateStore } from '@qwen-relay/state-store';

/** Why a response was not kept. */
export type ResponseNotStoredReason = 'too-large' | 'store-failed';

/** Responses kept for `previous_response_id` and `GET /v1/responses/{id}`, on the state store. */
export interface ResponseStore {
  /** how long a kept response stays readable */
  readonly ttlInMs: number;
  /**
   * keeps a finished response (under its `id`) with the conversation it answered; resolves to
   * the reason it was not kept, or undefined when it was. Never rejects.
   */
  save(record: StoredResponse): Promise<ResponseNotStoredReason | undefined>;
  /** the kept response, or undefined when unknown or expired; rejects when the store is down */
  load(responseId: string): Promise<StoredResponse | undefined>;
  /** forgets a kept response; true when there was one */
  delete(responseId: string): Promise<boolean>;
}

const RECORD_PREFIX = 'response:';
const INDEX_PREFIX = 'response-index:';

/**
 * Creates the response store. Each response is one entry (`response:<id>`, JSON of the
 * conversation and the response) that expires `ttlInMs` after it was written; one larger than
 * `maxResponseBytes` is not kept. Beside it, a tiny index entry (`response-index:<written at>:<id>`,
 * same expiry) lets a write find the oldest entries: past `maxEntries`, the oldest are deleted,
 * so the store stays bounded however many clients ask for `store: true`. The index is shared by
 * every process on the store, so the bound holds for the whole cluster (give or take concurrent
 * writes).
 */
export function createResponseStore({
  store,
  ttlInMs,
  maxResponseBytes,
  maxEntries,
  now = Date.now,
  onStoreError,
}: {
  store: StateStore;
  ttlInMs: number;
  maxResponseBytes: number;
  maxEntries: number;
  now?: () => number;
  /** a write or an eviction failed (the response is then simply not kept) */
  onStoreError?: (error: unknown) => void;
}): ResponseStore {
  const recordKey = (responseId: string) => `${RECORD_PREFIX}${responseId}`;
  const evictOldest = async (): Promise<void> => {
    const indexKeys = await store.listKeys(INDEX_PREFIX);
    if (indexKeys.length <= maxEntries) return;
    // the write time is zero-padded, so the keys sort by age
    const oldest = indexKeys.sort().slice(0, indexKeys.length - maxEntries);
    await Promise.all(
      oldest.flatMap((indexKey) => {
        const responseId = indexKey.slice(indexKey.indexOf(':', INDEX_PREFIX.length) + 1);
        return [store.delete(indexKey), store.delete(recordKey(responseId))];
      }),
    );
  };
  return {
    ttlInMs,
    async save(record) {
      const responseId = record.response.id;
      if (typeof responseId !== 'string' || responseId === '') return 'store-failed';
      const value = JSON.stringify(record);
      if (Buffer.byteLength(value) > maxResponseBytes) return 'too-large';
      try {
        const writtenAt = String(now()).padStart(15, '0');
        await store.set({ key: recordKey(responseId), value, ttlInMs });
        await store.set({ key: `${INDEX_PREFIX}${writtenAt}:${responseId}`, value: '1', ttlInMs });
        await evictOldest();
        return undefined;
      } catch (error) {
        onStoreError?.(error);
        return 'store-failed';
      }
    },
    async load(responseId) {
      const value = await store.get(recordKey(responseId));
      if (value === undefined) return undefined;
      return parseStoredResponse(value);
    },
    async delete(responseId) {
      const key = recordKey(responseId);
      if ((await store.get(key)) === undefined) return false;
      const suffix = `:${responseId}`;
      const indexKeys = (await store.listKeys(INDEX_PREFIX)).filter((indexKey) =>
        indexKey.endsWith(suffix),
      );
      await Promise.all([key, ...indexKeys].map((entry) => store.delete(entry)));
      return true;
    },
  };
}

// a value another version wrote, or one damaged on disk, counts as not kept
function parseStoredResponse(value: string): StoredResponse | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { input, response } = parsed as Record<string, unknown>;
    if (!Array.isArray(input) || typeof response !== 'object' || response === null) {
      return undefined;
    }
    return parsed as StoredResponse;
  } catch {
    return undefined;
  }
}
