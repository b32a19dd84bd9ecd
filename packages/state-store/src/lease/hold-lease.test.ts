import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStateStore } from '../memory/create-memory-state-store';
import { acquireLease, holdLease, releaseLease, renewLease } from './hold-lease';

describe('leases', () => {
  // the memory store reads Date.now, so fake timers drive both expiries and renewals
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('has one holder; only the holder renews or releases', async () => {
    const store = createMemoryStateStore();
    expect(await acquireLease({ store, key: 'l', ownerId: 'a', ttlInMs: 1_000 })).toBe(true);
    expect(await acquireLease({ store, key: 'l', ownerId: 'b', ttlInMs: 1_000 })).toBe(false);
    expect(await renewLease({ store, key: 'l', ownerId: 'b', ttlInMs: 1_000 })).toBe(false);
    expect(await releaseLease({ store, key: 'l', ownerId: 'b' })).toBe(false);
    expect(await releaseLease({ store, key: 'l', ownerId: 'a' })).toBe(true);
    expect(await acquireLease({ store, key: 'l', ownerId: 'b', ttlInMs: 1_000 })).toBe(true);
  });

  it('passes to another owner once the holder stops renewing and the ttl runs out', async () => {
    const store = createMemoryStateStore();
    expect(await acquireLease({ store, key: 'l', ownerId: 'dead', ttlInMs: 100 })).toBe(true);
    await vi.advanceTimersByTimeAsync(250);
    expect(await acquireLease({ store, key: 'l', ownerId: 'b', ttlInMs: 100 })).toBe(true);
  });

  it('holdLease keeps the lease past its ttl until released', async () => {
    const store = createMemoryStateStore();
    const held = await holdLease({ store, key: 'l', ownerId: 'a', ttlInMs: 120 });
    expect(held).toBeDefined();
    await vi.advanceTimersByTimeAsync(400);
    expect(await store.get('l')).toBe('a');
    expect(await holdLease({ store, key: 'l', ownerId: 'b', ttlInMs: 120 })).toBeUndefined();
    await held!.release();
    expect(await store.get('l')).toBeUndefined();
  });

  it('marks a lease lost when someone else took it, and never releases theirs', async () => {
    const store = createMemoryStateStore();
    let lostCalls = 0;
    const held = await holdLease({
      store,
      key: 'l',
      ownerId: 'a',
      ttlInMs: 90,
      onLost: () => {
        lostCalls += 1;
      },
    });
    await store.set({ key: 'l', value: 'thief' });
    await vi.advanceTimersByTimeAsync(100);
    expect(held!.lost).toBe(true);
    expect(lostCalls).toBe(1);
    await held!.release();
    expect(await store.get('l')).toBe('thief');
  });
});
