import { createChannelHub } from '../operations/create-channel-hub';
import {
  applyStateOperation,
  readStateEntry,
  type StateEntries,
  type StateOperation,
} from '../operations/state-entries';
import { validateStateArguments } from '../operations/validate-state-arguments';
import type { StateStore } from '../state-store';

/**
 * A {@link StateStore} in this process's memory: the per-process fallback when Redis is down,
 * and the store of tests. Nothing survives a restart and nothing is shared with other processes.
 */
export function createMemoryStateStore({
  now = Date.now,
}: {
  /** clock for expiries (default Date.now) */
  now?: () => number;
} = {}): StateStore {
  const entries: StateEntries = new Map();
  const hub = createChannelHub();
  const apply = (operation: StateOperation) =>
    applyStateOperation({ entries, operation, nowInMs: now() });
  return {
    kind: 'memory',
    async get(key) {
      return readStateEntry({ entries, key, nowInMs: now() });
    },
    async getMany(keys) {
      const nowInMs = now();
      return keys.map((key) => readStateEntry({ entries, key, nowInMs }));
    },
    async set({ key, value, ttlInMs }) {
      validateStateArguments({ key, ttlInMs });
      apply({ kind: 'set', key, value, ttlInMs });
    },
    async compareAndSet({ key, expected, value, ttlInMs }) {
      validateStateArguments({ key, ttlInMs });
      return apply({ kind: 'compare-and-set', key, expected, value, ttlInMs }) === true;
    },
    async delete(key) {
      apply({ kind: 'delete', key });
    },
    async increment({ key, by = 1, ttlInMs }) {
      validateStateArguments({ key, by, ttlInMs });
      return apply({ kind: 'increment', key, by, ttlInMs }) as number;
    },
    async incrementMany(operations) {
      for (const { key, by = 1, ttlInMs } of operations)
        validateStateArguments({ key, by, ttlInMs });
      return operations.map(
        ({ key, by = 1, ttlInMs }) => apply({ kind: 'increment', key, by, ttlInMs }) as number,
      );
    },
    async listKeys(prefix) {
      const nowInMs = now();
      return [...entries.keys()].filter(
        (key) => key.startsWith(prefix) && readStateEntry({ entries, key, nowInMs }) !== undefined,
      );
    },
    async publish({ channel, message }) {
      // delivered after the publisher's turn, as a network store would
      queueMicrotask(() => hub.deliver({ channel, message }));
    },
    async subscribe({ channel, listener }) {
      const remove = hub.add({ channel, listener });
      return async () => remove();
    },
    status: () => ({ available: true }),
    onStatusChange: () => () => undefined,
    async close() {
      entries.clear();
    },
  };
}
