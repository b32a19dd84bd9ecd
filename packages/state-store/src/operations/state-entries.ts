/** One stored value with its absolute expiry (epoch ms), as kept by the embedded stores. */
export interface StateEntry {
  value: string;
  expiresAtInMs?: number;
}

/** The embedded stores' key space. */
export type StateEntries = Map<string, StateEntry>;

/** A mutation the embedded stores apply atomically (in one process, or under the file lock). */
export type StateOperation =
  | { kind: 'set'; key: string; value: string; ttlInMs?: number | undefined }
  | {
      kind: 'compare-and-set';
      key: string;
      expected: string | undefined;
      value: string | undefined;
      ttlInMs?: number | undefined;
    }
  | { kind: 'delete'; key: string }
  | { kind: 'increment'; key: string; by: number; ttlInMs?: number | undefined };

/** The result of one {@link StateOperation}: CAS says whether it wrote, increments the new value. */
export type StateOperationResult = boolean | number | undefined;

/** Reads a live entry's value; an expired entry is removed and reads as absent. */
export function readStateEntry({
  entries,
  key,
  nowInMs,
}: {
  entries: StateEntries;
  key: string;
  nowInMs: number;
}): string | undefined {
  const entry = entries.get(key);
  if (entry === undefined) return undefined;
  if (entry.expiresAtInMs !== undefined && entry.expiresAtInMs <= nowInMs) {
    entries.delete(key);
    return undefined;
  }
  return entry.value;
}

/** Stores `value` under `key`, expiring `ttlInMs` after `nowInMs` (never when undefined). */
function writeEntry({
  entries,
  key,
  value,
  ttlInMs,
  nowInMs,
}: {
  entries: StateEntries;
  key: string;
  value: string;
  ttlInMs?: number | undefined;
  nowInMs: number;
}): void {
  entries.set(key, ttlInMs === undefined ? { value } : { value, expiresAtInMs: nowInMs + ttlInMs });
}

/** Applies one operation to the entries (mutating them) with the semantics of the Redis store. */
export function applyStateOperation({
  entries,
  operation,
  nowInMs,
}: {
  entries: StateEntries;
  operation: StateOperation;
  nowInMs: number;
}): StateOperationResult {
  switch (operation.kind) {
    case 'set':
      writeEntry({
        entries,
        key: operation.key,
        value: operation.value,
        ttlInMs: operation.ttlInMs,
        nowInMs,
      });
      return undefined;
    case 'delete':
      entries.delete(operation.key);
      return undefined;
    case 'compare-and-set': {
      const current = readStateEntry({ entries, key: operation.key, nowInMs });
      if (current !== operation.expected) return false;
      if (operation.value === undefined) entries.delete(operation.key);
      else
        writeEntry({
          entries,
          key: operation.key,
          value: operation.value,
          ttlInMs: operation.ttlInMs,
          nowInMs,
        });
      return true;
    }
    case 'increment': {
      const current = readStateEntry({ entries, key: operation.key, nowInMs });
      const parsed = current === undefined ? 0 : Number(current);
      const next = (Number.isFinite(parsed) ? parsed : 0) + operation.by;
      const live = current === undefined ? undefined : entries.get(operation.key);
      if (live !== undefined && live.expiresAtInMs !== undefined) {
        // like INCRBY on a key with an expiry: the value changes, the expiry stays (the entry
        // is only reachable through this map, so it is updated in place)
        live.value = String(next);
        return next;
      }
      // like INCRBY + PEXPIRE NX: a counter without an expiry gets the one asked for
      writeEntry({
        entries,
        key: operation.key,
        value: String(next),
        ttlInMs: operation.ttlInMs,
        nowInMs,
      });
      return next;
    }
  }
}

/** Removes every expired entry (the embedded stores call it before persisting). */
export function pruneExpiredStateEntries({
  entries,
  nowInMs,
}: {
  entries: StateEntries;
  nowInMs: number;
}): void {
  for (const [key, entry] of entries) {
    if (entry.expiresAtInMs !== undefined && entry.expiresAtInMs <= nowInMs) entries.delete(key);
  }
}
