/**
 * `pnpm bench`: measures apps/proxy against the fake upstream next to two baselines, direct
 * (client → fake) and floor (client → bare pass-through → fake), scenario by scenario, and
 * prints ratios and the issue-8 targets. Every process (fake, floor, proxies, load generator)
 * is a child of this one and dies with it. See bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELP_TEXT, parseBenchOptions } from './lib/bench-options.mjs';
import { createChildRegistry } from './lib/child-processes.mjs';
import { evaluateTargets } from './lib/evaluate-targets.mjs';
import { formatScenarioTable, formatTargets } from './lib/format-report.mjs';
import { PAIRED_CONCURRENCY, PAIRED_WINDOW_IN_S } from './lib/measure-paired.mjs';
import { runPairedPhase, selectPairedTargets } from './lib/paired-phase.mjs';
import { runScenario } from './lib/run-scenario.mjs';
import { createScenarios, selectScenarios } from './lib/scenarios.mjs';
import { isProxyBuilt } from './lib/start-arm.mjs';
import {
  formatCpuProfileSummary,
  summarizeCpuProfileDirectories,
} from './lib/summarize-cpu-profile.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_DIR = join(BENCH_DIR, '..');
const LONG_TOKEN_TTL_IN_S = 7 * 24 * 3600;

function createPaths(runStamp) {
  const results = join(BENCH_DIR, 'results');
  return {
    probe: join(BENCH_DIR, 'probe', 'process-probe.mjs'),
    floor: join(BENCH_DIR, 'floor-proxy.mjs'),
    core: join(BENCH_DIR, 'core-proxy.mjs'),
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
    // the baseline build runs wherever the inline proxy does
    const scenarioArms =
      options.baselineProxyMain && scenario.arms.includes('proxy')
        ? [...scenario.arms, 'proxy-baseline']
        : scenario.arms;
    const arms = scenarioArms.filter(
      (arm) =>
        (options.arms.includes(arm) ||
          (arm === 'proxy-baseline' && options.arms.includes('proxy'))) &&
        (proxyBuilt || !arm.startsWith('proxy')),
    );
    if (arms.length === 0) {
      notes.push(`${scenario.name}: skipped (none of its arms selected or built)`);
      continue;
    }
    console.log(`\n▶ ${scenario.name}: ${scenario.title}`);
    const result = await runScenario({ scenario, arms, context });
    profileDirs.push(...result.profileDirs);
    if (result.skipped) {
      notes.push(`${scenario.name}: skipped (${result.skipped})`);
      console.log(`  skipped: ${result.skipped}`);
      continue;
    }
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
  // the CPU targets' arms again, at once: their ratios without the drift between arms in turn
  const pairs =
    options.pairedDurationInS > 0 && proxyBuilt
      ? selectPairedTargets({
          scenarios,
          ran: scenarioResults.map((scenario) => scenario.name),
          arms: options.arms,
        })
      : [];
  const paired = await runPairedPhase({
    pairs,
    context,
    durationInS: options.pairedDurationInS,
    windowInS: PAIRED_WINDOW_IN_S,
    concurrency: PAIRED_CONCURRENCY,
  });
  const targets = evaluateTargets(summariesByScenario, { paired });
  return { startedAt, notes, scenarioResults, paired, targets, profileDirs };
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
    const { startedAt, notes, scenarioResults, paired, targets, profileDirs } = await runBench({
      options,
      paths,
      registry,
    });
    await registry.stopAll();
    printAllTables(scenarioResults);
    console.log(`\n${formatTargets(targets)}`);
    for (const note of notes) console.log(`note: ${note}`);
    const profiles = options.cpuProfile ? await summarizeCpuProfileDirectories(profileDirs) : [];
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
      paired,
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
