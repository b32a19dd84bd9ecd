// What a long-lived registry of requests in flight costs the young generation: one entry added
// and one removed per request, 8 requests in flight, each request ~16 KB reachable from its
// entry (as a request is from its stop function in the proxy). Only minor collections run while
// requests come and go (a forced one every 50 requests, plus V8's own), so whatever they promote
// stays in the old generation, where this script measures it.
//
// - `Set, old`: a Set created at start-up whose table is in the old generation (the proxy's
//   `requestStoppers` before the eighth pass of issue 18);
// - `Set, young`: the same churn on a Set created just before, still young;
// - `linked list`: `createRequestStoppers` of apps/proxy (the proxy now).
//
// Not a test and not part of `pnpm bench`: node bench/micro/registry-churn.mjs
// (after `pnpm build`). Options (environment): MICRO_REQUESTS (20000).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRequestStoppers } from '@qwen-relay/proxy';

const REQUESTS = Number(process.env.MICRO_REQUESTS ?? 20_000);
const IN_FLIGHT = 8;

// sweeping inside the collection: the old generation's size is final when it is read
setFlagsFromString('--expose-gc');
setFlagsFromString('--no-concurrent-sweeping');
const gc = runInNewContext('gc');

const oldSpaceUsed = () =>
  getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')?.space_used_size ?? 0;

function createSetRegistry() {
  const set = new Set();
  return {
    add(stop) {
      set.add(stop);
      return stop;
    },
    remove(stop) {
      set.delete(stop);
    },
  };
}

function churn(registry) {
  const inFlight = [];
  for (let request = 0; request < REQUESTS; request++) {
    const state = { body: new Array(2_000).fill(request) };
    inFlight.push(registry.add(() => state.body.length));
    if (inFlight.length > IN_FLIGHT) registry.remove(inFlight.shift());
    if (request % 50 === 0) gc({ type: 'minor' });
  }
  for (const entry of inFlight.splice(0)) registry.remove(entry);
  gc({ type: 'minor' });
  gc({ type: 'minor' });
}

function measure(name, createRegistry, { promoteFirst }) {
  const registry = createRegistry();
  registry.remove(registry.add(() => 0));
  // a registry that lives as long as the server is in the old generation before requests come
  if (promoteFirst) gc({ type: 'major' });
  gc({ type: 'major' });
  const usedBefore = oldSpaceUsed();
  const startedAt = process.cpuUsage();
  churn(promoteFirst ? registry : createRegistry());
  const { user, system } = process.cpuUsage(startedAt);
  const promoted = oldSpaceUsed() - usedBefore;
  console.log(
    `${name.padEnd(12)} promoted ${(promoted / REQUESTS).toFixed(0).padStart(6)} B/request` +
      `  (${(promoted / 1024 / 1024).toFixed(1)} MB), CPU ${((user + system) / REQUESTS).toFixed(2)} µs/request`,
  );
}

// each case in a fresh process: the garbage one case promotes must not be measured in the next
const CASES = {
  'set-old': () => measure('Set, old', createSetRegistry, { promoteFirst: true }),
  'set-young': () => measure('Set, young', createSetRegistry, { promoteFirst: false }),
  list: () => measure('linked list', createRequestStoppers, { promoteFirst: true }),
};
const only = process.argv[2];
if (only !== undefined) {
  CASES[only]();
} else {
  console.log(
    `registry churn: ${REQUESTS} requests, ${IN_FLIGHT} in flight, ~16 KB each, node ${process.version}`,
  );
  for (const name of Object.keys(CASES)) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), name], {
      encoding: 'utf8',
      env: process.env,
    });
    process.stdout.write(child.stdout + child.stderr);
  }
}
