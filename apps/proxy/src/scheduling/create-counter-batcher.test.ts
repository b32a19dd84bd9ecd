import { createMemoryStateStore, type IncrementStateOptions } from '@qwen-relay/state-store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type BatchedCounter, createCounterBatcher } from './create-counter-batcher';

/** A memory store that records every incrementMany it is given. */
function createRecordingStore() {
  const store = createMemoryStateStore();
  const calls: IncrementStateOptions[][] = [];
  const incrementMany = store.incrementMany.bind(store);
  store.incrementMany = (operations: readonly IncrementStateOptions[]) => {
    calls.push(operations.map((operation) => ({ ...operation })));
    return incrementMany(operations);
  };
  return { store, calls };
}

describe('createCounterBatcher', () => {
  let nowInMs = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    nowInMs = 1_000;
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const createReportingBatcher = (
    store: ReturnType<typeof createMemoryStateStore>,
    errors: unknown[],
  ) =>
    createCounterBatcher({
      store,
      now: () => nowInMs,
      onStoreError: (error) => errors.push(error),
    });
  const advance = async (ms: number) => {
    nowInMs += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };

  it('writes the first add at once, then the sums of each interval in one incrementMany', async () => {
    const { store, calls } = createRecordingStore();
    const batcher = createCounterBatcher({ store, intervalInMs: 100, now: () => nowInMs });
    const requests: BatchedCounter = { key: 'usage:requests' };
    const tokens: BatchedCounter = { key: 'usage:tokens' };
    const window: BatchedCounter = { key: 'windows:5h:0', ttlInMs: 60_000 };

    batcher.add(requests, 1);
    await advance(0);
    expect(calls).toEqual([[{ key: 'usage:requests', by: 1 }]]);

    for (let index = 0; index < 50; index++) {
      batcher.add(requests, 1);
      batcher.add(tokens, 7);
      batcher.add(window, 1);
      await advance(1);
    }
    // 50 ms into the interval: nothing more written yet
    expect(calls).toHaveLength(1);
    await advance(50);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual([
      { key: 'usage:requests', by: 50 },
      { key: 'usage:tokens', by: 350 },
      { key: 'windows:5h:0', by: 50, ttlInMs: 60_000 },
    ]);
    expect(await store.getMany(['usage:requests', 'usage:tokens', 'windows:5h:0'])).toEqual([
      '51',
      '350',
      '50',
    ]);
  });

  it('writes at most once a second by default', async () => {
    const { store, calls } = createRecordingStore();
    const batcher = createCounterBatcher({ store, now: () => nowInMs });
    const requests: BatchedCounter = { key: 'usage:requests' };

    // a steady ten requests a second for three seconds
    for (let index = 0; index < 30; index++) {
      batcher.add(requests, 1);
      await advance(100);
    }
    // the first at once, then one write per second of the sums of that second
    expect(calls.map((call) => call.map(({ by }) => by))).toEqual([[1], [10], [10]]);
    await batcher.flush();
    expect(await store.get('usage:requests')).toBe('30');
  });

  it('tells each counter the store total, which includes other processes', async () => {
    const { store } = createRecordingStore();
    await store.increment({ key: 'windows:5h:0', by: 40 }); // another replica's requests
    const totals: number[] = [];
    const window: BatchedCounter = {
      key: 'windows:5h:0',
      settle: (total) => totals.push(total),
    };
    const batcher = createCounterBatcher({ store, now: () => nowInMs });
    batcher.add(window, 1);
    batcher.add(window, 1);
    await batcher.flush();
    expect(totals).toEqual([42]);
  });

  it('writes what is pending on flush and waits for the writes under way', async () => {
    const { store, calls } = createRecordingStore();
    let release: (() => void) | undefined;
    const incrementMany = store.incrementMany;
    store.incrementMany = async (operations) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return incrementMany(operations);
    };
    const batcher = createCounterBatcher({ store, now: () => nowInMs });
    batcher.add({ key: 'a' }, 2);
    let flushed = false;
    const flushing = batcher.flush().then(() => {
      flushed = true;
    });
    await advance(0);
    // the write started and has not ended
    expect(release).toBeDefined();
    expect(flushed).toBe(false);
    release?.();
    await flushing;
    expect(calls).toEqual([[{ key: 'a', by: 2 }]]);
    expect(await store.get('a')).toBe('2');
  });

  it('ignores amounts that are not positive safe integers', async () => {
    const { store, calls } = createRecordingStore();
    const batcher = createCounterBatcher({ store, now: () => nowInMs });
    const counter: BatchedCounter = { key: 'tokens' };
    for (const amount of [0, -3, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      batcher.add(counter, amount);
    }
    await batcher.flush();
    expect(calls).toEqual([]);
  });

  it('writes the pending sum first when adding would leave the safe integers', async () => {
    const { store, calls } = createRecordingStore();
    const batcher = createCounterBatcher({ store, now: () => nowInMs });
    const counter: BatchedCounter = { key: 'tokens' };
    batcher.add(counter, Number.MAX_SAFE_INTEGER - 1);
    batcher.add(counter, 5);
    await batcher.flush();
    expect(calls).toEqual([
      [{ key: 'tokens', by: Number.MAX_SAFE_INTEGER - 1 }],
      [{ key: 'tokens', by: 5 }],
    ]);
  });

  it('reports a refused write, drops its sums and goes on counting', async () => {
    const { store, calls } = createRecordingStore();
    const incrementMany = store.incrementMany;
    const errors: unknown[] = [];
    let down = true;
    store.incrementMany = async (operations) => {
      if (down) throw new Error('store down');
      return incrementMany(operations);
    };
    const batcher = createReportingBatcher(store, errors);
    batcher.add({ key: 'a' }, 1);
    await batcher.flush();
    expect(errors).toEqual([new Error('store down')]);
    down = false;
    batcher.add({ key: 'a' }, 1);
    await batcher.flush();
    expect(calls).toEqual([[{ key: 'a', by: 1 }]]);
    expect(await store.get('a')).toBe('1');
  });

  it('reports a store that throws instead of rejecting', async () => {
    const { store } = createRecordingStore();
    const errors: unknown[] = [];
    store.incrementMany = () => {
      throw new Error('thrown');
    };
    const batcher = createReportingBatcher(store, errors);
    batcher.add({ key: 'a' }, 1);
    await batcher.flush();
    expect(errors).toEqual([new Error('thrown')]);
  });

  it('does not keep the process alive for pending counts', async () => {
    const { store } = createRecordingStore();
    const batcher = createCounterBatcher({ store, now: () => nowInMs });
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    batcher.add({ key: 'a' }, 1);
    const timer = setTimeoutSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    setTimeoutSpy.mockRestore();
    await batcher.flush();
  });
});
