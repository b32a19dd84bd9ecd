/**
 * What the file state store costs a proxy per served request, by batch interval: a steady
 * `--rate` requests/s for 3 s, each one `incrementMany` of six counters (three plan windows,
 * three usage counters), and the process's CPU time (all threads: the file system calls run on
 * libuv's pool) per request. `memory` is the same loop on the memory store: the loop's own cost.
 * Usage: node bench/micro/file-state-store-batching.mjs [--rate 1000] (after `pnpm build`)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createFileStateStore, createMemoryStateStore } from '@qwen-relay/state-store';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '1000' } } });
const ratePerS = Number(values.rate);
const DURATION_IN_MS = 3_000;

async function measure(label, store) {
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.floor(((performance.now() - startedAt) / 1000) * ratePerS);
      while (sent < due) {
        sent += 1;
        void store.incrementMany(
          Array.from({ length: 6 }, (_, index) => ({ key: `counter:${index}`, ttlInMs: 60_000 })),
        );
      }
      if (performance.now() - startedAt < DURATION_IN_MS) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await store.close();
  const cpu = process.cpuUsage(cpuBefore);
  return { label, cpuPerRequestInUs: (cpu.user + cpu.system) / sent };
}

const rows = [];
for (const interval of ['memory', 0, 25, 100]) {
  const directory = await mkdtemp(join(tmpdir(), 'qwen-relay-bench-state-'));
  const store =
    interval === 'memory'
      ? createMemoryStateStore()
      : createFileStateStore({ directory, minBatchIntervalInMs: interval });
  rows.push(await measure(interval === 'memory' ? 'memory' : `file, ${interval} ms`, store));
  await rm(directory, { recursive: true, force: true });
}
const loopCost = rows[0].cpuPerRequestInUs;
console.log(`file state store at ${ratePerS} requests/s (one incrementMany of 6 counters each)`);
for (const { label, cpuPerRequestInUs } of rows) {
  const added =
    label === 'memory' ? '' : `  (+${(cpuPerRequestInUs - loopCost).toFixed(0)} µs over memory)`;
  console.log(
    `${label.padEnd(14)} ${cpuPerRequestInUs.toFixed(0).padStart(5)} µs CPU/request${added}`,
  );
}
