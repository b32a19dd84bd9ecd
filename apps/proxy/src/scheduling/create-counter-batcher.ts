import type { IncrementStateOptions, StateStore } from '@qwen-relay/state-store';

/**
 * A store counter that served requests add to. The objects are built once per key (per plan
 * window bucket, per client / account / model field) and handed back on every request.
 */
export interface BatchedCounter {
  readonly key: string;
  /** the expiry its store entry gets when the increment creates it */
  readonly ttlInMs?: number | undefined;
  /** told the store's total (every process's counts) after each write that included it */
  readonly settle?: ((total: number) => void) | undefined;
}

/** Sums increments per counter and writes them to the store in one call per interval. */
export interface CounterBatcher {
  /** adds `by` (a positive safe integer; anything else is ignored) to `counter` */
  add(counter: BatchedCounter, by: number): void;
  /** writes what is pending now; resolves once every write started so far has ended */
  flush(): Promise<void>;
}

/**
 * How often a proxy writes its served requests' counts to the state store: once a second. Each
 * write of the file store is a lock, a read, a write and a rename (some fourteen file
 * operations, ~1.5 ms of CPU on the bench machine): at ten a second, the 100 ms this was until
 * the eighteenth pass of issue 18, that cost a saturated proxy 4–9 % of its CPU per request
 * (bench/README.md). Once a second, another process sees a count at most a second late, and a
 * crash loses at most a second of counts; this process's own plan windows count at once.
 */
export const DEFAULT_COUNTER_INTERVAL_IN_MS = 1_000;

interface PendingIncrement {
  counter: BatchedCounter;
  by: number;
}

/**
 * Creates the batcher. A proxy serving a thousand requests a second added seven counters per
 * request, each request its own `incrementMany` (a promise, a queued batch entry, seven
 * operation objects; on Redis a round trip). Here a request only adds to the pending sum of
 * each counter; the sums go to the store in one `incrementMany` per `intervalInMs` (default
 * {@link DEFAULT_COUNTER_INTERVAL_IN_MS}). The first add after a quiet spell is written on the
 * next timer turn, so an idle proxy's counts reach the store at once, as before.
 *
 * What this changes for readers: another process (a replica, `qwen-relay usage`) sees a count
 * at most one interval later than before; this process sees its own counts at once (plan
 * windows count locally first; `flush` before listing usage). A write the store refuses is
 * reported to `onStoreError` and its sums are dropped, as a refused per-request write was:
 * re-sending them could count twice when the store applied a write whose answer was lost.
 */
export function createCounterBatcher({
  store,
  intervalInMs = DEFAULT_COUNTER_INTERVAL_IN_MS,
  onStoreError,
  now = () => performance.now(),
}: {
  store: Pick<StateStore, 'incrementMany'>;
  intervalInMs?: number;
  onStoreError?: (error: unknown) => void;
  /** a monotonic clock in ms */
  now?: () => number;
}): CounterBatcher {
  let pending = new Map<string, PendingIncrement>();
  let timer: NodeJS.Timeout | undefined;
  let lastWriteAtInMs = Number.NEGATIVE_INFINITY;
  const writing = new Set<Promise<void>>();

  const write = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    lastWriteAtInMs = now();
    const increments = [...pending.values()];
    pending = new Map();
    const operations: IncrementStateOptions[] = increments.map(({ counter, by }) =>
      counter.ttlInMs === undefined
        ? { key: counter.key, by }
        : { key: counter.key, by, ttlInMs: counter.ttlInMs },
    );
    let written: Promise<void>;
    try {
      written = store.incrementMany(operations).then(
        (totals) => {
          increments.forEach(({ counter }, index) => {
            const total = totals[index];
            if (total !== undefined) counter.settle?.(total);
          });
        },
        (error: unknown) => onStoreError?.(error),
      );
    } catch (error) {
      // a store that throws instead of rejecting is reported the same way
      onStoreError?.(error);
      return;
    }
    const tracked = written.finally(() => writing.delete(tracked));
    writing.add(tracked);
  };

  const schedule = (): void => {
    if (timer !== undefined) return;
    const waitInMs = Math.max(0, lastWriteAtInMs + intervalInMs - now());
    timer = setTimeout(write, waitInMs);
    // pending counts must not keep a process alive: its owner flushes them when it closes
    timer.unref();
  };

  return {
    add(counter, by) {
      if (!(Number.isSafeInteger(by) && by > 0)) return;
      const entry = pending.get(counter.key);
      if (entry === undefined) {
        pending.set(counter.key, { counter, by });
      } else if (Number.isSafeInteger(entry.by + by)) {
        entry.by += by;
      } else {
        // the sum would leave the integers a store can count exactly: write what is there first
        write();
        pending.set(counter.key, { counter, by });
      }
      schedule();
    },
    async flush() {
      write();
      await Promise.all(writing);
    },
  };
}
