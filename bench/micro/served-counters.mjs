/**
 * What counting one served request costs the proxy, on the file and the memory state store:
 * three plan windows and three usage counters, as `recordServed` counts a chat request.
 *
 * - `per-request`: each request its own `incrementMany` (the proxy before the sixth pass of
 *   issue 18): a promise, a queued batch entry and six operation objects per request.
 * - `batched`: the windows counted locally and every counter added to a `createCounterBatcher`,
 *   which writes the sums once per 100 ms (the proxy now).
 *
 * One request per event-loop turn (a `setImmediate` between them, as a proxy serves them),
 * 20,000 to warm up, then `--requests` measured; CPU time of all threads ÷ requests, minus the
 * same loop counting nothing. Usage: node bench/micro/served-counters.mjs [--requests 200000]
 * (after `pnpm build`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createCounterBatcher,
  createPlanWindowTracker,
  createUsageRecorder,
} from '@qwen-relay/proxy';
import { createFileStateStore, createMemoryStateStore } from '@qwen-relay/state-store';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '200000' } } });
const REQUESTS = Number(values.requests);
const WARM_UP = 20_000;
const served = {
  client: 'anonymous',
  accountId: 'oauth-default',
  model: 'qwen3-coder-plus',
  promptTokens: 12,
  completionTokens: 9,
  cachedTokens: 0,
};

function createCounting(kind, store) {
  const tracker = createPlanWindowTracker({ store });
  tracker.configure([{ accountId: served.accountId, limits: {} }]);
  const usage = createUsageRecorder({ store });
  if (kind === 'nothing') return { count() {}, close: async () => tracker.close() };
  if (kind === 'per-request') {
    return {
      count() {
        const windows = tracker.countServed(served.accountId);
        void store
          .incrementMany([...windows.increments, ...usage.listIncrements(served)])
          .then((totals) => windows.settle(totals));
      },
      close: async () => tracker.close(),
    };
  }
  const batcher = createCounterBatcher({ store });
  return {
    count() {
      for (const counter of tracker.countServedLocally(served.accountId)) batcher.add(counter, 1);
      usage.addTo(batcher, served);
    },
    close: async () => {
      tracker.close();
      await batcher.flush();
    },
  };
}

async function run(counting, requests) {
  for (let index = 0; index < requests; index++) {
    counting.count();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function measure(kind, storeKind) {
  const directory = await mkdtemp(join(tmpdir(), 'served-counters-'));
  const store =
    storeKind === 'file' ? createFileStateStore({ directory }) : createMemoryStateStore();
  const counting = createCounting(kind, store);
  await run(counting, WARM_UP);
  const before = process.cpuUsage();
  await run(counting, REQUESTS);
  const cpu = process.cpuUsage(before);
  await counting.close();
  await store.close();
  await rm(directory, { recursive: true, force: true });
  return (cpu.user + cpu.system) / REQUESTS;
}

console.log(`counting a served request (3 plan windows, 3 usage counters), ${REQUESTS} requests`);
for (const storeKind of ['file', 'memory']) {
  const loop = await measure('nothing', storeKind);
  for (const kind of ['per-request', 'batched']) {
    const total = await measure(kind, storeKind);
    console.log(
      `${storeKind.padEnd(6)} ${kind.padEnd(11)} ${(total - loop).toFixed(2).padStart(6)} µs CPU/request (loop alone ${loop.toFixed(2)} µs)`,
    );
  }
}
