/**
 * `pnpm bench`: measures apps/proxy against the fake upstream next to two baselines, direct
 * (client → fake) and floor (client → bare pass-through → fake), scenario by scenario, and
 * prints ratios and the issue-8 targets. Every process (fake, floor, proxies, load generator)
 * is a child of this one and dies with it. See bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELP_TEXT, parseBenchOptions } from './lib/bench-options.mjs';
import { createChildRegistry } from './lib/child-processes.mjs';
import { evaluateTargets } from './lib/evaluate-targets.mjs';
import { formatScenarioTable, formatTargets } from './lib/format-report.mjs';
import { measureArm, warmUpArm } from './lib/measure-arm.mjs';
import { createScenarios, selectScenarios } from './lib/scenarios.mjs';
import { isProxyBuilt, startArm } from './lib/start-arm.mjs';
import { formatCpuProfileSummary, summarizeCpuProfile } from './lib/summarize-cpu-profile.mjs';
import { summarizeRuns } from './lib/summarize-runs.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_DIR = join(BENCH_DIR, '..');
const LONG_TOKEN_TTL_IN_S = 7 * 24 * 3600;

function createPaths(runStamp) {
  const results = join(BENCH_DIR, 'results');
  return {
    probe: join(BENCH_DIR, 'probe', 'process-probe.mjs'),
    floor: join(BENCH_DIR, 'floor-proxy.mjs'),
    fakeServer: join(BENCH_DIR, 'fake-server.mjs'),
    loadGenerator: join(BENCH_DIR, 'load', 'load-generator.mjs'),
    proxyMain: join(REPO_DIR, 'apps', 'proxy', 'dist', 'main.js'),
    results,
    logs: join(results, 'logs', runStamp),
    profiles: join(results, 'profiles', runStamp),
  };
}

function describeMachine() {
  let gitCommit = null;
  try {
    gitCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_DIR })
      .toString()
      .trim();
  } catch {
    // not a git checkout
  }
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cpuCount: os.cpus().length,
    totalMemoryInMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    gitCommit,
    loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

function describeMeasurement(metrics) {
  const parts = [`${metrics.requestsPerS ?? '–'} req/s`];
  if (metrics.latencyP50InMs != null) parts.push(`p50 ${metrics.latencyP50InMs} ms`);
  if (metrics.ttfbP50InMs != null) parts.push(`TTFB p50 ${metrics.ttfbP50InMs} ms`);
  if (metrics.gapP99InMs != null) parts.push(`gap p99 ${metrics.gapP99InMs} ms`);
  if (metrics.refreshCalls != null) parts.push(`refreshes ${metrics.refreshCalls}`);
  parts.push(`failed ${metrics.failed}`);
  if (metrics.failed > 0) parts.push(JSON.stringify(metrics.failureReasons));
  return parts.join(', ');
}

/** Runs one scenario on its arms; returns `{ arm: { runs, summary } }`. */
async function runScenario({ scenario, arms, context }) {
  const { options, registry, fake, load, paths } = context;
  await fake.call('configure', { stream: scenario.fakeStream });
  // token scenarios need the proxy started right before its measurement (the token's clock)
  const startPerMeasurement = Boolean(scenario.tokenExpiry || scenario.revokeTokenAfterInS);
  const running = {};
  const runsByArm = Object.fromEntries(arms.map((arm) => [arm, []]));
  const profileDirs = [];
  const start = async (arm) => {
    running[arm] = await startArm({ name: arm, registry, fake, scenario, options, paths });
    if (running[arm].profileDir) profileDirs.push(running[arm].profileDir);
  };
  const stop = async (arm) => {
    await running[arm]?.stop();
    delete running[arm];
  };
  try {
    if (!startPerMeasurement) {
      for (const arm of arms) await start(arm);
      if (scenario.warmup !== false) {
        for (const arm of arms) await warmUpArm({ arm: running[arm], scenario, load, options });
      }
    }
    const runs = scenario.runs ?? options.runs;
    for (let run = 0; run < runs; run++) {
      // rotate the order so slow drift of the machine does not favour one arm
      const order = arms.map((_, index) => arms[(index + run) % arms.length]);
      for (const arm of order) {
        if (startPerMeasurement) {
          await fake.call('reset');
          await fake.call('watchRefreshes');
          await start(arm);
        }
        const metrics = await measureArm({ arm: running[arm], scenario, load, fake, options });
        if (startPerMeasurement) await stop(arm);
        runsByArm[arm].push(metrics);
        console.log(`  run ${run + 1}/${runs} ${arm.padEnd(13)} ${describeMeasurement(metrics)}`);
      }
    }
  } finally {
    for (const arm of Object.keys(running)) await stop(arm);
  }
  const armResults = Object.fromEntries(
    arms.map((arm) => [arm, { runs: runsByArm[arm], summary: summarizeRuns(runsByArm[arm]) }]),
  );
  return { arms: armResults, profileDirs };
}

async function summarizeProfiles(profileDirs) {
  const summaries = [];
  for (const directory of profileDirs) {
    let files = [];
    try {
      files = (await readdir(directory)).filter((file) => file.endsWith('.cpuprofile'));
    } catch {
      continue;
    }
    for (const file of files.sort()) {
      summaries.push(await summarizeCpuProfile({ path: join(directory, file), top: 12 }));
    }
  }
  return summaries;
}

async function runBench({ options, paths, registry }) {
  const startedAt = new Date();
  const notes = [];
  const fakeChild = registry.startChild({
    name: 'fake-qwen',
    script: paths.fakeServer,
    args: [JSON.stringify({ embeddings: true, accessTokenTtlInSeconds: LONG_TOKEN_TTL_IN_S })],
  });
  const { url } = await fakeChild.waitForEvent('ready');
  const directCredentials = await fakeChild.call('issueCredentials', {
    expiresInSeconds: LONG_TOKEN_TTL_IN_S,
  });
  const fake = { url, accessToken: directCredentials.access_token, call: fakeChild.call };
  const load = registry.startChild({ name: 'load-generator', script: paths.loadGenerator });
  await load.waitForEvent('ready');

  const proxyBuilt = isProxyBuilt(paths);
  if (!proxyBuilt)
    notes.push('apps/proxy/dist/main.js is missing: proxy arms skipped (pnpm build)');
  const context = { options, registry, fake, load, paths };
  const scenarios = selectScenarios({
    scenarios: createScenarios(options),
    names: options.scenarioNames,
  });
  const scenarioResults = [];
  const profileDirs = [];
  for (const scenario of scenarios) {
    const arms = scenario.arms.filter(
      (arm) => options.arms.includes(arm) && (proxyBuilt || !arm.startsWith('proxy')),
    );
    if (arms.length === 0) {
      notes.push(`${scenario.name}: skipped (none of its arms selected or built)`);
      continue;
    }
    console.log(`\n▶ ${scenario.name}: ${scenario.title}`);
    const result = await runScenario({ scenario, arms, context });
    profileDirs.push(...result.profileDirs);
    const summaries = Object.fromEntries(
      Object.entries(result.arms).map(([arm, { summary }]) => [arm, summary]),
    );
    console.log(`\n${formatScenarioTable({ scenario, summaries })}`);
    const { tokenExpiry, revokeTokenAfterInS, fakeStream, phases, name, title } = scenario;
    scenarioResults.push({
      name,
      title,
      fakeStream,
      phases: phases.map(({ body: _body, ...phase }) => phase),
      ...(tokenExpiry ? { tokenExpiry } : {}),
      ...(revokeTokenAfterInS ? { revokeTokenAfterInS } : {}),
      arms: result.arms,
    });
  }

  const summariesByScenario = Object.fromEntries(
    scenarioResults.map((scenario) => [
      scenario.name,
      Object.fromEntries(Object.entries(scenario.arms).map(([arm, { summary }]) => [arm, summary])),
    ]),
  );
  const targets = evaluateTargets(summariesByScenario);
  return { startedAt, notes, scenarioResults, targets, profileDirs };
}

function printAllTables(scenarioResults) {
  console.log(
    '\n══════ summary (median of runs; failures, stalls, RSS, max gap: worst run) ══════',
  );
  for (const scenario of scenarioResults) {
    const summaries = Object.fromEntries(
      Object.entries(scenario.arms).map(([arm, { summary }]) => [arm, summary]),
    );
    console.log(`\n${formatScenarioTable({ scenario, summaries })}`);
  }
}

async function main() {
  let options;
  try {
    options = parseBenchOptions({ argv: process.argv.slice(2), env: process.env });
  } catch (error) {
    console.error(error.message);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    console.log(HELP_TEXT);
    return;
  }
  const runStamp = new Date().toISOString().replace(/[:.]/g, '-');
  const paths = createPaths(runStamp);
  await mkdir(paths.logs, { recursive: true });
  const registry = createChildRegistry({ logDir: paths.logs });
  process.once('exit', () => registry.killAllNow());
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping every bench process`);
      registry.killAllNow();
      process.exit(130);
    });
  }
  const watchdog = setTimeout(() => {
    console.error(`bench exceeded ${options.maxTotalInS} s (BENCH_MAX_TOTAL_S); stopping`);
    registry.killAllNow();
    process.exit(1);
  }, options.maxTotalInS * 1000);
  watchdog.unref();

  const machine = describeMachine();
  console.log(
    `qwen-relay bench ${options.quick ? '(quick) ' : ''}— ${options.runs} run(s) × ` +
      `${options.durationInS} s, ${machine.cpuCount} × ${machine.cpuModel}, node ${machine.node}, ` +
      `load average ${machine.loadAverageAtStart.join(' ')}`,
  );
  console.log(`logs: ${relative(process.cwd(), paths.logs)}`);
  if (machine.loadAverageAtStart[0] > machine.cpuCount) {
    console.log(
      `warning: load average ${machine.loadAverageAtStart[0]} on ${machine.cpuCount} cores: ` +
        'other processes compete for the CPU, expect noisy numbers',
    );
  }
  try {
    const { startedAt, notes, scenarioResults, targets, profileDirs } = await runBench({
      options,
      paths,
      registry,
    });
    await registry.stopAll();
    printAllTables(scenarioResults);
    console.log(`\n${formatTargets(targets)}`);
    for (const note of notes) console.log(`note: ${note}`);
    const profiles = options.cpuProfile ? await summarizeProfiles(profileDirs) : [];
    for (const profile of profiles) console.log(`\n${formatCpuProfileSummary(profile)}`);
    const finishedAt = new Date();
    const report = {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      elapsedInS: Math.round((finishedAt - startedAt) / 1000),
      machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
      options,
      notes,
      scenarios: scenarioResults,
      targets,
      profiles,
    };
    const jsonPath = join(paths.results, `${runStamp}.json`);
    await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `\nfinished in ${report.elapsedInS} s; results: ${relative(process.cwd(), jsonPath)}`,
    );
  } finally {
    clearTimeout(watchdog);
    await registry.stopAll();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
