import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileStateStore, createMemoryStateStore } from '@qwen-relay/state-store';
import { describe, expect, it } from 'vitest';
import { createPlanWindowTracker } from './create-plan-window-tracker';

const start = Date.UTC(2026, 11, 1, 12, 0);

describe('createPlanWindowTracker', () => {
  it('counts requests per window and predicts the account spent at its limit', async () => {
    let nowInMs = start;
    const tracker = createPlanWindowTracker({
      store: createMemoryStateStore({ now: () => nowInMs }),
      now: () => nowInMs,
    });
    tracker.configure([{ accountId: 'cp-1', limits: { '5h': 3, '7d': 10 } }]);
    expect(tracker.getHeadroom('cp-1')).toBe(1);
    await tracker.record('cp-1');
    await tracker.record('cp-1');
    expect(tracker.getHeadroom('cp-1')).toBeCloseTo(1 / 3);
    expect(tracker.getExhaustion('cp-1')).toBeUndefined();
    await tracker.record('cp-1');
    expect(tracker.getHeadroom('cp-1')).toBe(0);
    const exhaustion = tracker.getExhaustion('cp-1');
    expect(exhaustion?.windows).toEqual(['5h']);
    // the first request's bucket (12:00) leaves the 5 h window at 17:10
    expect(new Date(exhaustion!.resetsAtInMs).toISOString()).toBe('2026-12-01T17:10:00.000Z');
    const [fiveHours, week] = tracker.getWindows('cp-1');
    expect(fiveHours).toMatchObject({ name: '5h', used: 3, limit: 3, spent: true });
    expect(week).toMatchObject({ name: '7d', used: 3, limit: 10, spent: false });
    // five hours and ten minutes later the 5 h window has room again; the week still counts
    nowInMs = start + 5 * 3_600_000 + 10 * 60_000;
    expect(tracker.getExhaustion('cp-1')).toBeUndefined();
    expect(tracker.getWindows('cp-1').find((window) => window.name === '7d')?.used).toBe(3);
    tracker.close();
  });

  it('takes the upstream word for a spent window until the given time', async () => {
    let nowInMs = start;
    const tracker = createPlanWindowTracker({
      store: createMemoryStateStore({ now: () => nowInMs }),
      now: () => nowInMs,
    });
    tracker.configure([{ accountId: 'cp-1', limits: {} }]);
    tracker.markSpent({ accountId: 'cp-1', window: '7d', untilInMs: start + 3_600_000 });
    expect(tracker.getExhaustion('cp-1')).toEqual({
      windows: ['7d'],
      resetsAtInMs: start + 3_600_000,
    });
    expect(tracker.getHeadroom('cp-1')).toBe(0);
    nowInMs = start + 3_600_001;
    expect(tracker.getExhaustion('cp-1')).toBeUndefined();
    tracker.close();
  });

  it('counts once across two trackers on one file store and survives a restart', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'qwen-relay-windows-'));
    try {
      const storeA = createFileStateStore({ directory });
      const storeB = createFileStateStore({ directory });
      const a = createPlanWindowTracker({ store: storeA });
      const b = createPlanWindowTracker({ store: storeB });
      for (const tracker of [a, b])
        tracker.configure([{ accountId: 'cp-1', limits: { '5h': 100 } }]);
      await Promise.all([
        ...Array.from({ length: 20 }, () => a.record('cp-1')),
        ...Array.from({ length: 20 }, () => b.record('cp-1')),
      ]);
      await a.refresh();
      expect(a.getWindows('cp-1')[0]?.used).toBe(40);
      a.close();
      b.close();
      await Promise.all([storeA.close(), storeB.close()]);
      const restarted = createPlanWindowTracker({ store: createFileStateStore({ directory }) });
      restarted.configure([{ accountId: 'cp-1', limits: { '5h': 100 } }]);
      await restarted.refresh();
      expect(restarted.getWindows('cp-1')[0]).toMatchObject({ used: 40, limit: 100, spent: false });
      restarted.close();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('hands back one counter per window, the same objects until a bucket changes', () => {
    let nowInMs = start;
    const tracker = createPlanWindowTracker({
      store: createMemoryStateStore(),
      now: () => nowInMs,
    });
    tracker.configure([{ accountId: 'cp-1', limits: { '5h': 100 } }]);
    const first = [...tracker.countServedLocally('cp-1')];
    expect(first.map(({ key }) => key)).toEqual([
      `windows:cp-1:5h:${start}`,
      // the week from Monday 00:00 in UTC+8
      `windows:cp-1:7d:${Date.UTC(2026, 10, 29, 16)}`,
      `windows:cp-1:30d:${start - (start % 86_400_000)}`,
    ]);
    expect(first.map(({ ttlInMs }) => ttlInMs)).toEqual([
      5 * 3_600_000 + 600_000,
      8 * 86_400_000,
      31 * 86_400_000,
    ]);
    nowInMs = start + 60_000;
    const second = [...tracker.countServedLocally('cp-1')];
    expect(second).toEqual(first);
    expect(second.every((counter, index) => counter === first[index])).toBe(true);
    // counted locally at once, before any store write
    expect(tracker.getWindows('cp-1')[0]).toMatchObject({ name: '5h', used: 2 });
    // the next 10-minute bucket: a new 5 h counter, the same week and month counters
    nowInMs = start + 600_000;
    const third = [...tracker.countServedLocally('cp-1')];
    expect(third[0]).not.toBe(first[0]);
    expect(third[0]?.key).toBe(`windows:cp-1:5h:${start + 600_000}`);
    expect(third.slice(1)).toEqual(first.slice(1));
    tracker.close();
  });

  it('settles a store total into the counts a refresh replaced meanwhile', async () => {
    const store = createMemoryStateStore();
    const tracker = createPlanWindowTracker({ store, now: () => start });
    tracker.configure([{ accountId: 'cp-1', limits: { '5h': 100 } }]);
    const { settle } = tracker.countServed('cp-1');
    // the store write is under way when the periodic refresh lands (the store has nothing yet)
    await tracker.refresh();
    expect(tracker.getWindows('cp-1')[0]?.used).toBe(1);
    // the write's answer: other replicas had counted 4 in the same bucket
    settle([5, 5, 5]);
    expect(tracker.getWindows('cp-1')[0]?.used).toBe(5);
    tracker.close();
  });

  it('keeps counting in the process while the store is unavailable', async () => {
    const store = createMemoryStateStore();
    const errors: unknown[] = [];
    const tracker = createPlanWindowTracker({ store, onStoreError: (error) => errors.push(error) });
    tracker.configure([{ accountId: 'cp-1', limits: { '5h': 2 } }]);
    const down = async () => {
      throw new Error('down');
    };
    store.increment = down;
    store.incrementMany = down;
    await tracker.record('cp-1');
    await tracker.record('cp-1');
    expect(tracker.getExhaustion('cp-1')?.windows).toEqual(['5h']);
    expect(errors.length).toBeGreaterThan(0);
    tracker.close();
  });

  it('answers headroom and exhaustion exactly as the windows it shows say', async () => {
    // the per-request checks skip windows without a limit: they must agree with getWindows
    let nowInMs = start;
    const tracker = createPlanWindowTracker({
      store: createMemoryStateStore({ now: () => nowInMs }),
      now: () => nowInMs,
    });
    const limitSets = [{}, { '5h': 4 }, { '7d': 6, '30d': 9 }, { '5h': 0 }, { '30d': 3 }];
    tracker.configure(limitSets.map((limits, index) => ({ accountId: `a${index}`, limits })));
    const expectConsistent = () => {
      for (let index = 0; index < limitSets.length; index++) {
        const accountId = `a${index}`;
        const windows = tracker.getWindows(accountId);
        const spent = windows.filter((window) => window.spent);
        const expectedHeadroom =
          spent.length > 0
            ? 0
            : Math.min(
                1,
                ...windows
                  .filter((window) => window.limit !== undefined && window.limit > 0)
                  .map((window) => Math.max(0, 1 - window.used / (window.limit ?? 1))),
              );
        expect(tracker.getHeadroom(accountId)).toBe(expectedHeadroom);
        expect(tracker.getExhaustion(accountId)).toEqual(
          spent.length === 0
            ? undefined
            : {
                windows: spent.map((window) => window.name),
                resetsAtInMs: Math.max(...spent.map((window) => window.resetsAtInMs)),
              },
        );
      }
    };
    expectConsistent();
    for (let step = 0; step < 40; step++) {
      await tracker.record(`a${step % limitSets.length}`);
      // 47 minutes a step: buckets of 10 min and 1 day, the 5 h window, a week boundary
      nowInMs += 47 * 60_000;
      if (step === 11) tracker.markSpent({ accountId: 'a0', window: '5h', untilInMs: nowInMs + 1 });
      if (step === 23) tracker.markSpent({ accountId: 'a2', window: '7d' });
      expectConsistent();
    }
    tracker.close();
  });
});
