import { afterEach, beforeEach, expect, it } from 'vitest';
import type { StateStore } from '../src/state-store';

/** The behaviour every StateStore shares, run against each implementation. */
export function describeStateStoreContract(createStore: () => Promise<StateStore>): void {
  let store: StateStore;
  beforeEach(async () => {
    store = await createStore();
  });
  afterEach(async () => {
    await store.close();
  });

  it('sets, gets and deletes', async () => {
    expect(await store.get('a')).toBeUndefined();
    await store.set({ key: 'a', value: 'one' });
    expect(await store.get('a')).toBe('one');
    expect(await store.getMany(['a', 'missing'])).toEqual(['one', undefined]);
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
  });

  it('increments from zero, by any whole amount, and keeps the first expiry', async () => {
    expect(await store.increment({ key: 'c' })).toBe(1);
    expect(await store.increment({ key: 'c', by: 41 })).toBe(42);
    expect(await store.increment({ key: 'c', by: -2 })).toBe(40);
    expect(await store.increment({ key: 'e', ttlInMs: 1_000 })).toBe(1);
    // a later, longer ttl does not extend the counter: it still dies with its first expiry
    await store.increment({ key: 'e', ttlInMs: 3_600_000 });
    await expect.poll(() => store.get('e'), { timeout: 15_000, interval: 100 }).toBeUndefined();
    expect(await store.get('c')).toBe('40');
  });

  it('increments several counters in one call, in order, with their first expiries', async () => {
    await store.increment({ key: 'm:a', by: 5 });
    expect(
      await store.incrementMany([
        { key: 'm:a' },
        { key: 'm:b', by: 3, ttlInMs: 600 },
        { key: 'm:c', by: 2, ttlInMs: 3_600_000 },
        { key: 'm:a', by: 10 },
      ]),
    ).toEqual([6, 3, 2, 16]);
    expect(await store.incrementMany([])).toEqual([]);
    // the second call keeps m:b's first (short) expiry
    expect(await store.incrementMany([{ key: 'm:b', ttlInMs: 3_600_000 }])).toEqual([4]);
    await expect.poll(() => store.get('m:b'), { timeout: 15_000, interval: 100 }).toBeUndefined();
    expect(await store.getMany(['m:a', 'm:c'])).toEqual(['16', '2']);
  });

  it('rejects the whole incrementMany when one increment is invalid, applying none', async () => {
    await expect(
      store.incrementMany([{ key: 'm:ok' }, { key: 'm:bad', by: 1.5 }]),
    ).rejects.toMatchObject({ code: 'QWEN_RELAY_STATE_STORE_INVALID_ARGUMENT' });
    expect(await store.get('m:ok')).toBeUndefined();
  });

  it('expires values set with a ttl and keeps the others', async () => {
    await store.set({ key: 't', value: 'x', ttlInMs: 300 });
    await store.set({ key: 'long', value: 'y', ttlInMs: 3_600_000 });
    await expect.poll(() => store.get('t'), { timeout: 15_000, interval: 100 }).toBeUndefined();
    expect(await store.listKeys('t')).toEqual([]);
    expect(await store.get('long')).toBe('y');
  });

  it('compare-and-set writes only on the expected value, absent included, and can delete', async () => {
    expect(await store.compareAndSet({ key: 'k', expected: 'x', value: 'y' })).toBe(false);
    expect(await store.compareAndSet({ key: 'k', expected: undefined, value: 'v1' })).toBe(true);
    expect(await store.compareAndSet({ key: 'k', expected: undefined, value: 'v2' })).toBe(false);
    expect(await store.compareAndSet({ key: 'k', expected: 'v1', value: 'v2' })).toBe(true);
    expect(await store.get('k')).toBe('v2');
    expect(await store.compareAndSet({ key: 'k', expected: 'v2', value: undefined })).toBe(true);
    expect(await store.get('k')).toBeUndefined();
  });

  it('has exactly one compare-and-set winner among concurrent callers', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        store.compareAndSet({ key: 'race', expected: undefined, value: `owner-${index}` }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.get('race')).toBe(`owner-${winner}`);
  });

  it('loses no concurrent increment', async () => {
    await Promise.all(Array.from({ length: 200 }, () => store.increment({ key: 'n' })));
    expect(await store.get('n')).toBe('200');
  });

  it('lists keys by prefix, literally', async () => {
    await store.set({ key: 'usage:a*', value: '1' });
    await store.set({ key: 'usage:b', value: '2' });
    await store.set({ key: 'other', value: '3' });
    expect((await store.listKeys('usage:')).sort()).toEqual(['usage:a*', 'usage:b']);
    expect(await store.listKeys('usage:a*')).toEqual(['usage:a*']);
  });

  it('delivers published messages to subscribers until they unsubscribe', async () => {
    const received: string[] = [];
    const unsubscribe = await store.subscribe({
      channel: 'news',
      listener: (message) => received.push(message),
    });
    await store.publish({ channel: 'news', message: 'first' });
    await store.publish({ channel: 'elsewhere', message: 'ignored' });
    await expect.poll(() => received, { timeout: 5_000 }).toEqual(['first']);
    await unsubscribe();
    await store.publish({ channel: 'news', message: 'second' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual(['first']);
  });

  it('rejects arguments no backend can store', async () => {
    await expect(store.increment({ key: 'x', by: 1.5 })).rejects.toMatchObject({
      code: 'QWEN_RELAY_STATE_STORE_INVALID_ARGUMENT',
    });
    await expect(store.set({ key: '', value: 'x' })).rejects.toMatchObject({
      code: 'QWEN_RELAY_STATE_STORE_INVALID_ARGUMENT',
    });
    await expect(store.set({ key: 'x', value: 'x', ttlInMs: 0 })).rejects.toMatchObject({
      code: 'QWEN_RELAY_STATE_STORE_INVALID_ARGUMENT',
    });
  });
}
