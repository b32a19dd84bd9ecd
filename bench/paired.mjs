#!/usr/bin/env node
/**
 * Paired A/B measurement of CPU per request: every arm of a scenario (for example floor, proxy
 * and proxy-baseline) runs at the same time against one fake, each under the same closed-loop
 * load, and each process's CPU time is sampled in short windows. A ratio is taken per window
 * (arm ÷ reference, both measured in the same seconds), so a machine whose speed drifts — a
 * shared VM — moves both sides of every ratio together. `run.mjs` measures arms one after the
 * other and its ratios carry that drift; this is the tool for "did this change make a request
 * cheaper", not for throughput (the arms share the cores). With both stream lengths of a
 * translated protocol among the scenarios (`responses-stream-8,responses-stream-64`), its CPU per
 * added chunk is measured once more with the fake alternating the two lengths window by window,
 * so both ends of each slope are seconds apart (lib/measure-paired.mjs, measurePairedSlope).
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
import { createChildRegistry } from './lib/child-processes.mjs';
import {
  formatPairedRows,
  formatSlopeRows,
  measurePairedScenario,
  PAIRED_CONCURRENCY,
  PAIRED_WINDOW_IN_S,
} from './lib/measure-paired.mjs';
import { formatPairedPerChunk } from './lib/paired-per-chunk.mjs';
import { describeSlope, measureProtocolSlope, selectSlopePairs } from './lib/paired-phase.mjs';
import { createScenarios } from './lib/scenarios.mjs';
import { formatSelfTimeComparison, readSelfTimePerRequest } from './lib/summarize-cpu-profile.mjs';

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
    window: { type: 'string', default: String(PAIRED_WINDOW_IN_S) },
    concurrency: { type: 'string', default: String(PAIRED_CONCURRENCY) },
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

async function measureScenario({ scenario, fake, registry }) {
  const { rows, served, warmUpInS, profileDirs } = await measurePairedScenario({
    scenario,
    armNames,
    reference,
    fake,
    registry,
    options,
    paths,
    durationInS,
    windowInS,
    concurrency,
  });
  // the profiles are written as the arms exit
  const profileLines = options.cpuProfile ? await compareArmProfiles({ profileDirs, served }) : [];
  return { rows, warmUpInS, profileLines };
}

/** Each arm's main-thread profile as self time per request served (warm-up included). */
async function compareArmProfiles({ profileDirs, served }) {
  const profiled = [];
  for (const [index, profileDir] of profileDirs.entries()) {
    if (!profileDir || served[index] === 0) continue;
    const files = (await readdir(profileDir)).filter((file) =>
      /^CPU\.[^.]+\.[^.]+\.\d+\.0\.\d+\.cpuprofile$/.test(file),
    );
    if (files.length === 0) continue;
    const times = await readSelfTimePerRequest({
      path: join(profileDir, files[0]),
      requests: served[index],
    });
    profiled.push({ name: armNames[index], times });
  }
  return profiled.length < 2 ? [] : formatSelfTimeComparison({ arms: profiled, reference });
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
    const { rows, warmUpInS, profileLines } = await measureScenario({ scenario, fake, registry });
    rowsByScenario.set(scenario.name, rows);
    console.log(`\n${scenario.name}: ${scenario.title} (warmed up ${warmUpInS} s)`);
    console.log(formatPairedRows(rows).join('\n'));
    if (profileLines.length > 0) console.log(`\n${profileLines.join('\n')}`);
  }
  const perChunkLines = formatPairedPerChunk({ rowsByScenario, reference });
  if (perChunkLines.length > 0) console.log(perChunkLines.join('\n'));
  // both lengths of a protocol: its CPU per added chunk again, the two alternating in one run
  const slopes = selectSlopePairs(scenarios.map((scenario) => ({ scenario, arms: armNames })));
  for (const slope of slopes) {
    const { rows, windowPairs } = await measureProtocolSlope({
      slope,
      reference,
      context: { options, registry, fake, paths },
      durationInS,
      windowInS,
      concurrency,
    });
    console.log(`\n${describeSlope(slope)} (${windowPairs} pairs)`);
    console.log(formatSlopeRows(rows).join('\n'));
  }
} finally {
  await registry.stopAll();
}
