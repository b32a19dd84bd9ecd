#!/usr/bin/env node
/**
 * Paired A/B measurement of CPU per request: every arm of a scenario (for example floor, proxy
 * and proxy-baseline) runs at the same time against one fake, each under the same closed-loop
 * load, and each process's CPU time is sampled in short windows. A ratio is taken per window
 * (arm ÷ reference, both measured in the same seconds), so a machine whose speed drifts — a
 * shared VM — moves both sides of every ratio together. `run.mjs` measures arms one after the
 * other and its ratios carry that drift; this is the tool for "did this change make a request
 * cheaper", not for throughput (the arms share the cores).
 *
 *   node bench/paired.mjs --baseline-proxy ../main/apps/proxy/dist/main.js \
 *     [--scenarios chat,stream-8] [--arms floor,proxy,proxy-baseline] [--reference floor]
 *     [--duration 20] [--window 2] [--concurrency 6]
 */
import { mkdir, readdir } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { createChildRegistry } from './lib/child-processes.mjs';
import { formatPairedPerChunk } from './lib/paired-per-chunk.mjs';
import { readCpuTimeInUs } from './lib/process-stats.mjs';
import { attachKeyAccount } from './lib/run-scenario.mjs';
import { createScenarios } from './lib/scenarios.mjs';
import { startArm } from './lib/start-arm.mjs';
import { formatSelfTimeComparison, readSelfTimePerRequest } from './lib/summarize-cpu-profile.mjs';
import { median } from './lib/summarize-runs.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_DIR = join(BENCH_DIR, '..');
const LONG_TOKEN_TTL_IN_S = 7 * 24 * 3600;

const { values } = parseArgs({
  options: {
    scenarios: { type: 'string', default: 'chat,stream-8' },
    arms: { type: 'string', default: 'floor,proxy,proxy-baseline' },
    reference: { type: 'string' },
    'baseline-proxy': { type: 'string' },
    duration: { type: 'string', default: '20' },
    window: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '6' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const armNames = values.arms.split(',').filter(Boolean);
if (armNames.includes('proxy-baseline') && values['baseline-proxy'] === undefined) {
  console.error('proxy-baseline needs --baseline-proxy <apps/proxy/dist/main.js of another build>');
  process.exit(2);
}
const reference = values.reference ?? armNames[0];
const durationInS = Number(values.duration);
const windowInS = Number(values.window);
const concurrency = Number(values.concurrency);

const runStamp = new Date().toISOString().replace(/[:.]/g, '-');
const paths = {
  probe: join(BENCH_DIR, 'probe', 'process-probe.mjs'),
  floor: join(BENCH_DIR, 'floor-proxy.mjs'),
  core: join(BENCH_DIR, 'core-proxy.mjs'),
  fakeServer: join(BENCH_DIR, 'fake-server.mjs'),
  proxyMain: join(REPO_DIR, 'apps', 'proxy', 'dist', 'main.js'),
  profiles: join(BENCH_DIR, 'results', 'profiles', runStamp),
  logs: join(BENCH_DIR, 'results', 'logs', runStamp),
};
const options = {
  cpuProfile: values['cpu-prof'],
  proxyLogLevel: 'info',
  sseWorkers: 2,
  baselineProxyMain:
    values['baseline-proxy'] === undefined ? undefined : resolve(values['baseline-proxy']),
  durationInS: 3,
  latencyRate: 500,
  paced1000IntervalInMs: 100,
};

/** Keeps `concurrency` requests in flight on one arm until `stopped()`; counts completions. */
function loadArm({ arm, phase }) {
  const pool = new Pool(arm.origin, { connections: concurrency, pipelining: 1 });
  // translated protocols: the floor is sent the same conversation as a chat completion
  const request = { ...phase, ...phase.requestByArm?.[arm.name] };
  const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const state = { completed: 0, failed: 0, stopped: false };
  const loop = async () => {
    while (!state.stopped) {
      try {
        const response = await pool.request({
          path: request.path,
          method: 'POST',
          headers: request.headers ?? arm.headers,
          body,
        });
        await response.body.dump({ limit: Number.POSITIVE_INFINITY });
        if (response.statusCode === 200) state.completed += 1;
        else state.failed += 1;
      } catch {
        state.failed += 1;
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    state,
    async stop() {
      state.stopped = true;
      await Promise.all(loops);
      await pool.close();
    },
  };
}

async function measureScenario({ scenario: declared, fake, registry }) {
  let served;
  let rows;
  // passthrough scenarios: a key account on a plan host, the floor sent to its native path
  const scenario = declared.keyAccount
    ? await attachKeyAccount({ scenario: declared, fake })
    : declared;
  const phase = scenario.phases[0];
  await fake.call('configure', { stream: scenario.fakeStream });
  const arms = [];
  for (const name of armNames) {
    arms.push(await startArm({ name, registry, fake, scenario, options, paths }));
  }
  try {
    const loads = arms.map((arm) => loadArm({ arm, phase }));
    // warm-up: JIT, connections, first state-store writes
    await new Promise((done) => setTimeout(done, 2_000));
    const windows = [];
    let previous = await Promise.all(
      arms.map(async (arm, index) => ({
        cpuInUs: await readCpuTimeInUs(arm.pid),
        completed: loads[index].state.completed,
      })),
    );
    const windowCount = Math.max(1, Math.round(durationInS / windowInS));
    for (let windowIndex = 0; windowIndex < windowCount; windowIndex += 1) {
      await new Promise((done) => setTimeout(done, windowInS * 1_000));
      const current = await Promise.all(
        arms.map(async (arm, index) => ({
          cpuInUs: await readCpuTimeInUs(arm.pid),
          completed: loads[index].state.completed,
        })),
      );
      windows.push(
        arms.map((arm, index) => {
          const requests = current[index].completed - previous[index].completed;
          const cpuInUs = current[index].cpuInUs - previous[index].cpuInUs;
          return {
            arm: arm.name,
            requests,
            cpuPerRequestInUs: requests > 0 ? cpuInUs / requests : NaN,
          };
        }),
      );
      previous = current;
    }
    await Promise.all(loads.map((load) => load.stop()));
    served = loads.map((load) => load.state.completed);
    const referenceIndex = armNames.indexOf(reference);
    rows = armNames.map((name, index) => {
      const perWindow = windows.map((window) => window[index].cpuPerRequestInUs);
      const ratios = windows.map(
        (window) => window[index].cpuPerRequestInUs / window[referenceIndex].cpuPerRequestInUs,
      );
      const sortedRatios = [...ratios].sort((a, b) => a - b);
      return {
        arm: name,
        requestsPerSecond: Math.round(
          windows.reduce((sum, window) => sum + window[index].requests, 0) /
            (windows.length * windowInS),
        ),
        failed: loads[index].state.failed,
        cpuPerRequestInUs: Math.round(median(perWindow)),
        ratioToReference: median(ratios),
        ratioRange: [sortedRatios[0], sortedRatios[sortedRatios.length - 1]],
      };
    });
  } finally {
    await Promise.all(arms.map((arm) => arm.stop()));
  }
  // the profiles are written as the arms exit
  const profileLines = options.cpuProfile ? await compareArmProfiles({ arms, served }) : [];
  return { rows, profileLines };
}

/** Each arm's main-thread profile as self time per request served (warm-up included). */
async function compareArmProfiles({ arms, served }) {
  const profiled = [];
  for (const [index, arm] of arms.entries()) {
    if (!arm.profileDir || served[index] === 0) continue;
    const files = (await readdir(arm.profileDir)).filter((file) =>
      /^CPU\.[^.]+\.[^.]+\.\d+\.0\.\d+\.cpuprofile$/.test(file),
    );
    if (files.length === 0) continue;
    const times = await readSelfTimePerRequest({
      path: join(arm.profileDir, files[0]),
      requests: served[index],
    });
    profiled.push({ name: arm.name, times });
  }
  return profiled.length < 2 ? [] : formatSelfTimeComparison({ arms: profiled, reference });
}

/** A ratio with 3 decimals, or `n/a` when a window had no completed request. */
function formatRatio(ratio) {
  return typeof ratio === 'number' && Number.isFinite(ratio) ? ratio.toFixed(3) : 'n/a';
}

const registry = createChildRegistry({ logDir: paths.logs });
await mkdir(paths.logs, { recursive: true });
const stopEverything = () => {
  registry.killAllNow();
  process.exit(130);
};
process.once('SIGINT', stopEverything);
process.once('SIGTERM', stopEverything);
try {
  const fakeChild = registry.startChild({
    name: 'fake-qwen',
    script: paths.fakeServer,
    args: [JSON.stringify({ embeddings: true, accessTokenTtlInSeconds: LONG_TOKEN_TTL_IN_S })],
  });
  const { url } = await fakeChild.waitForEvent('ready');
  const credentials = await fakeChild.call('issueCredentials', {
    expiresInSeconds: LONG_TOKEN_TTL_IN_S,
  });
  const fake = { url, accessToken: credentials.access_token, call: fakeChild.call };
  const scenarios = createScenarios(options).filter((scenario) =>
    values.scenarios.split(',').includes(scenario.name),
  );
  console.log(
    `paired CPU per request — ${armNames.join(', ')} at once, ${concurrency} in flight each, ` +
      `${windowInS} s windows × ${Math.round(durationInS / windowInS)}, reference ${reference}; ` +
      `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ` +
      `load average ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}`,
  );
  const rowsByScenario = new Map();
  for (const scenario of scenarios) {
    const { rows, profileLines } = await measureScenario({ scenario, fake, registry });
    rowsByScenario.set(scenario.name, rows);
    console.log(`\n${scenario.name}: ${scenario.title}`);
    console.log(
      'arm              req/s  CPU µs/req  ×reference (median of windows, range)  failed',
    );
    for (const row of rows) {
      console.log(
        `${row.arm.padEnd(15)} ${String(row.requestsPerSecond).padStart(6)} ` +
          `${String(row.cpuPerRequestInUs).padStart(11)}  ` +
          `${formatRatio(row.ratioToReference).padStart(10)} (${row.ratioRange
            .map(formatRatio)
            .join('–')})`.padEnd(41) +
          `${String(row.failed).padStart(7)}`,
      );
    }
    if (profileLines.length > 0) console.log(`\n${profileLines.join('\n')}`);
  }
  const perChunkLines = formatPairedPerChunk({ rowsByScenario, reference });
  if (perChunkLines.length > 0) console.log(perChunkLines.join('\n'));
} finally {
  await registry.stopAll();
}
