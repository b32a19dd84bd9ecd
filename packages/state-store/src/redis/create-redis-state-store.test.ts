import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStateStoreContract } from '../../test/state-store-contract';
import type { StateStore } from '../state-store';
import {
  type RedisServerHandle,
  skipRedisTests,
  startRedisServer,
} from '../testing/start-redis-server';
import { createRedisStateStore } from './create-redis-state-store';
import { describeRedisUrl } from './describe-redis-url';

async function waitUntilAvailable(store: StateStore): Promise<void> {
  await expect.poll(() => store.status().available, { timeout: 10_000 }).toBe(true);
}

describe.skipIf(skipRedisTests)('redis state store (real redis-server)', () => {
  let redis: RedisServerHandle;
  let prefixNumber = 0;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  describe('contract', () => {
    describeStateStoreContract(async () => {
      prefixNumber += 1;
      const store = createRedisStateStore({
        url: redis.url,
        keyPrefix: `contract-${prefixNumber}:`,
      });
      await waitUntilAvailable(store);
      return store;
    });
  });

  it('keeps deployments with different prefixes apart', async () => {
    const one = createRedisStateStore({ url: redis.url, keyPrefix: 'team-a:' });
    const two = createRedisStateStore({ url: redis.url, keyPrefix: 'team-b:' });
    await Promise.all([waitUntilAvailable(one), waitUntilAvailable(two)]);
    await one.set({ key: 'account', value: 'a' });
    expect(await two.get('account')).toBeUndefined();
    expect(await one.listKeys('acc')).toEqual(['account']);
    await Promise.all([one.close(), two.close()]);
  });

  it('counts once across several clients (replicas)', async () => {
    const replicas = Array.from({ length: 3 }, () =>
      createRedisStateStore({ url: redis.url, keyPrefix: 'replicas:' }),
    );
    await Promise.all(replicas.map(waitUntilAvailable));
    await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        replicas[index % 3]!.increment({ key: 'window', ttlInMs: 60_000 }),
      ),
    );
    expect(await replicas[0]!.get('window')).toBe('300');
    await Promise.all(replicas.map((replica) => replica.close()));
  });

  it('fails fast while Redis is down, says so, and recovers without a restart', async () => {
    const store = createRedisStateStore({ url: redis.url, keyPrefix: 'restart:' });
    const seen: boolean[] = [];
    store.onStatusChange((status) => seen.push(status.available));
    await waitUntilAvailable(store);
    const subscriberReceived: string[] = [];
    await store.subscribe({
      channel: 'c',
      listener: (message) => subscriberReceived.push(message),
    });
    await store.increment({ key: 'n' });

    await redis.stop();
    await expect.poll(() => store.status().available, { timeout: 10_000 }).toBe(false);
    expect(store.status().reason).toContain('127.0.0.1');
    await expect(store.increment({ key: 'n' })).rejects.toMatchObject({
      code: 'QWEN_RELAY_STATE_STORE_UNAVAILABLE',
    });

    await redis.start();
    await waitUntilAvailable(store);
    // the restarted server lost its script cache (and, without persistence, its data)
    expect(await store.increment({ key: 'n' })).toBe(1);
    expect(await store.compareAndSet({ key: 'k', expected: undefined, value: 'v' })).toBe(true);
    // the subscription is restored on reconnect
    const publisher = createRedisStateStore({ url: redis.url, keyPrefix: 'restart:' });
    await waitUntilAvailable(publisher);
    await expect
      .poll(
        async () => {
          await publisher.publish({ channel: 'c', message: 'after-restart' });
          return subscriberReceived.includes('after-restart');
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(true);
    expect(seen).toEqual(expect.arrayContaining([true, false]));
    await Promise.all([store.close(), publisher.close()]);
  });

  it('starts while Redis is unreachable and reports why without the password', async () => {
    const store = createRedisStateStore({
      url: 'redis://user:hunter2secret@127.0.0.1:1/0',
      connectTimeoutInMs: 200,
    });
    await expect(store.get('x')).rejects.toMatchObject({
      code: 'QWEN_RELAY_STATE_STORE_UNAVAILABLE',
    });
    expect(store.status().available).toBe(false);
    expect(JSON.stringify(store.status())).not.toContain('hunter2secret');
    await store.close();
  });
});

describe('describeRedisUrl', () => {
  it('drops user and password', () => {
    expect(describeRedisUrl('rediss://me:secret@redis.example:6380/2')).toBe(
      'rediss://redis.example:6380/2',
    );
  });
});
