// @qwen-relay/state-store: the embedded (file) store, the one used when REDIS_URL is unset.
// Counts requests in a quota window, hands a refresh lease to one owner only, and updates a
// versioned value with compare-and-set. Writes into a temporary directory:
// `node examples/state-store.mjs`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStateStore, holdLease } from '@qwen-relay/state-store';

const directory = await mkdtemp(path.join(tmpdir(), 'qwen-relay-example-'));
const store = createStateStore({ directory }); // add `redisUrl` to share it between replicas
try {
  console.log(`store kind: ${store.kind}`);

  const windowKey = 'window:example:5h:1764565200000';
  for (let request = 0; request < 3; request += 1) {
    await store.increment({ key: windowKey, ttlInMs: 5 * 3_600_000 });
  }
  console.log(`requests in the window: ${await store.get(windowKey)}`);

  // two replicas want to refresh the same account: only one gets the lease
  const leaseKey = 'lease:refresh:example';
  const first = await holdLease({ store, key: leaseKey, ownerId: 'replica-a', ttlInMs: 45_000 });
  const second = await holdLease({ store, key: leaseKey, ownerId: 'replica-b', ttlInMs: 45_000 });
  console.log(`replica-a holds the lease: ${first !== undefined}`);
  console.log(`replica-b holds the lease: ${second !== undefined}`);
  await first?.release();

  // compare-and-set on a version: a writer holding a stale version loses
  await store.set({ key: 'credentials:example:version', value: '1' });
  const won = await store.compareAndSet({
    key: 'credentials:example:version',
    expected: '1',
    value: '2',
  });
  const stale = await store.compareAndSet({
    key: 'credentials:example:version',
    expected: '1',
    value: '2',
  });
  console.log(`compare-and-set from version 1: ${won}, again with the stale version: ${stale}`);
} finally {
  await store.close();
  await rm(directory, { recursive: true, force: true });
}
