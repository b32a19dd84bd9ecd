/**
 * The paired measurement of CPU per request (`paired.mjs`, and the paired phase of `pnpm bench`):
 * every arm of a scenario runs at the same time against one fake, each under the same closed-loop
 * load of `concurrency` requests in flight, and each process's CPU time is sampled every `window`
 * seconds. A ratio to the reference arm is taken per window, so both sides of every ratio saw the
 * same machine: a shared VM's drift moves them together.
 */
import { Pool } from 'undici';
import { readCpuTimeInUs } from './process-stats.mjs';
import { attachKeyAccount } from './run-scenario.mjs';
import { startArm } from './start-arm.mjs';
import { median } from './summarize-runs.mjs';
import { isWarm } from './warm-up.mjs';

// warm-up: at least 2 s, then 1 s slices until every arm is warm (isWarm), at most
// `options.warmupMaxInS` (default 20 s; 0: the 2 s only)
const WARM_UP_IN_MS = 2_000;
const WARM_UP_SLICE_IN_MS = 1_000;
const WARM_UP_MAX_IN_S = 20;

// CPU sampled every 2 s, 6 requests in flight per arm: the defaults of `paired.mjs` and the
// settings of `pnpm bench`'s paired phase
export const PAIRED_WINDOW_IN_S = 2;
export const PAIRED_CONCURRENCY = 6;

/** Keeps `concurrency` requests in flight on one arm until stopped; counts completions. */
function loadArm({ arm, phase, concurrency }) {
  const pool = new Pool(arm.origin, { connections: concurrency, pipelining: 1 });
  // translated protocols: the floor and the chat path are sent the same conversation as chat
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

const sampleArms = (arms, loads) =>
  Promise.all(
    arms.map(async (arm, index) => ({
      cpuInUs: await readCpuTimeInUs(arm.pid),
      completed: loads[index].state.completed,
    })),
  );

/** Per arm, between two samples: the requests completed and the CPU per request (NaN for none). */
const measureBetween = (before, after) =>
  before.map((start, index) => {
    const requests = after[index].completed - start.completed;
    const cpuInUs = after[index].cpuInUs - start.cpuInUs;
    return { requests, cpuPerRequestInUs: requests > 0 ? cpuInUs / requests : Number.NaN };
  });

/**
 * Lets `arms` run under their `loads` for `WARM_UP_IN_MS`, then in slices of
 * `WARM_UP_SLICE_IN_MS` until each arm's CPU per request stopped falling (isWarm) or `maxInS`
 * seconds passed. Returns the seconds it took.
 */
async function warmUpUnderLoad({ arms, loads, maxInS }) {
  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
  await sleep(WARM_UP_IN_MS);
  let elapsedInMs = WARM_UP_IN_MS;
  const slicesByArm = arms.map(() => []);
  let previous = await sampleArms(arms, loads);
  while (elapsedInMs < maxInS * 1_000 && !slicesByArm.every(isWarm)) {
    await sleep(WARM_UP_SLICE_IN_MS);
    elapsedInMs += WARM_UP_SLICE_IN_MS;
    const current = await sampleArms(arms, loads);
    measureBetween(previous, current).forEach((arm, index) => {
      slicesByArm[index].push(arm.cpuPerRequestInUs);
    });
    previous = current;
  }
  return elapsedInMs / 1_000;
}

/**
 * Starts `armNames` on `scenario`, puts each under its load of `concurrency` requests in flight
 * (the first phase's request), lets them warm up (warmUpUnderLoad), then runs
 * `measure({ arms, loads })`; the loads and arms are stopped after it, whatever happens. Returns
 * what `measure` returned (`result`), the warm-up's seconds (`warmUpInS`) and, per arm in order,
 * the requests it served and failed (warm-up included) and its profile directory.
 */
async function withArmsUnderLoad({
  scenario,
  armNames,
  registry,
  fake,
  options,
  paths,
  concurrency,
  measure,
}) {
  const phase = scenario.phases[0];
  const arms = [];
  try {
    for (const name of armNames) {
      arms.push(await startArm({ name, registry, fake, scenario, options, paths }));
    }
    const loads = arms.map((arm) => loadArm({ arm, phase, concurrency }));
    // warm-up: JIT, connections, first state-store writes
    const warmUpInS = await warmUpUnderLoad({
      arms,
      loads,
      maxInS: options.warmupMaxInS ?? WARM_UP_MAX_IN_S,
    });
    const result = await measure({ arms, loads });
    await Promise.all(loads.map((load) => load.stop()));
    return {
      result,
      warmUpInS,
      served: loads.map((load) => load.state.completed),
      failed: loads.map((load) => load.state.failed),
      profileDirs: arms.map((arm) => arm.profileDir),
    };
  } finally {
    await Promise.all(arms.map((arm) => arm.stop()));
  }
}

/**
 * Measures `scenario` (its first phase's request) on `armNames` at once. Returns one row per arm
 * (`arm`, `requestsPerSecond`, `failed`, `cpuPerRequestInUs`: the median of the windows,
 * `ratioToReference`: the median of the per-window ratios, `ratioRange`, `windows`), the requests
 * each arm served (warm-up included), the warm-up's seconds and each arm's profile directory (with
 * `--cpu-prof`).
 */
export async function measurePairedScenario({
  scenario: declared,
  armNames,
  reference = armNames[0],
  fake,
  registry,
  options,
  paths,
  durationInS,
  windowInS,
  concurrency,
}) {
  // passthrough scenarios: a key account on a plan host, the floor sent to its native path
  const scenario = declared.keyAccount
    ? await attachKeyAccount({ scenario: declared, fake })
    : declared;
  await fake.call('configure', { stream: scenario.fakeStream });
  const {
    result: windows,
    warmUpInS,
    served,
    failed,
    profileDirs,
  } = await withArmsUnderLoad({
    scenario,
    armNames,
    registry,
    fake,
    options,
    paths,
    concurrency,
    measure: async ({ arms, loads }) => {
      const measured = [];
      let previous = await sampleArms(arms, loads);
      const windowCount = Math.max(1, Math.round(durationInS / windowInS));
      for (let windowIndex = 0; windowIndex < windowCount; windowIndex += 1) {
        await new Promise((done) => setTimeout(done, windowInS * 1_000));
        const current = await sampleArms(arms, loads);
        measured.push(measureBetween(previous, current));
        previous = current;
      }
      return measured;
    },
  });
  const referenceIndex = armNames.indexOf(reference);
  const rows = armNames.map((name, index) => {
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
      failed: failed[index],
      cpuPerRequestInUs: Math.round(median(perWindow)),
      ratioToReference: median(ratios),
      ratioRange: [sortedRatios[0], sortedRatios[sortedRatios.length - 1]],
      windows: windows.length,
    };
  });
  return { rows, served, warmUpInS, profileDirs };
}

// after the fake switches stream length, requests in flight finish before a window starts
const SWITCH_SETTLE_IN_MS = 500;

/**
 * Each arm's CPU per added upstream chunk, paired in time as well as between arms: the arms run at
 * once as in measurePairedScenario, and the fake alternates between `shortStream` and
 * `longStream` window by window, so both ends of every slope are measured seconds apart, not a
 * scenario apart (two scenarios measured a minute apart saw the same arm's CPU for the same work
 * differ by 1.6×: bench/README.md, "Nineteenth pass"). Returns one row per arm
 * (summarizeSlopePairs) and the number of window pairs.
 */
export async function measurePairedSlope({
  scenario,
  shortStream,
  longStream,
  armNames,
  reference = armNames[0],
  fake,
  registry,
  options,
  paths,
  durationInS,
  windowInS,
  concurrency,
}) {
  await fake.call('configure', { stream: shortStream });
  const { result: pairs } = await withArmsUnderLoad({
    scenario,
    armNames,
    registry,
    fake,
    options,
    paths,
    concurrency,
    measure: async ({ arms, loads }) => {
      // one window of each length, after the fake switched to it and requests in flight settled
      const measureWindow = async (stream) => {
        await fake.call('configure', { stream });
        await new Promise((done) => setTimeout(done, SWITCH_SETTLE_IN_MS));
        const before = await sampleArms(arms, loads);
        await new Promise((done) => setTimeout(done, windowInS * 1_000));
        const after = await sampleArms(arms, loads);
        return measureBetween(before, after).map((arm) => arm.cpuPerRequestInUs);
      };
      const measured = [];
      const pairCount = Math.max(1, Math.round(durationInS / (2 * windowInS)));
      for (let pairIndex = 0; pairIndex < pairCount; pairIndex += 1) {
        // the order alternates, so a drift within a pair favours neither length
        const first = pairIndex % 2 === 0 ? shortStream : longStream;
        const second = first === shortStream ? longStream : shortStream;
        const firstCpu = await measureWindow(first);
        const secondCpu = await measureWindow(second);
        measured.push(
          first === shortStream
            ? { shortCpu: firstCpu, longCpu: secondCpu }
            : { shortCpu: secondCpu, longCpu: firstCpu },
        );
      }
      return measured;
    },
  });
  return {
    rows: summarizeSlopePairs({
      pairs,
      armNames,
      reference,
      chunksAdded: longStream.chunkCount - shortStream.chunkCount,
    }),
    pairs: pairs.length,
  };
}

/**
 * From window pairs (`shortCpu` and `longCpu`: each arm's CPU µs per request, in `armNames`
 * order), one row per arm. A slope's ratio to the reference's, (P64 − P8) ÷ (C64 − C8), is
 * (r64·k − r8) ÷ (k − 1) with r the arm's CPU ÷ the reference's in the same window and k = C64 ÷ C8:
 * taken pair by pair, a window's noise in r comes out about k ÷ (k − 1) times larger (3× at
 * k = 1.5). So each term is a median first: `ratioShort` and `ratioLong` over the windows of each
 * length, `lengthRatio` (k, the reference's) over the pairs, then `ratioToReference` from them;
 * null when the reference's CPU did not grow with the length (k ≤ 1). `slopeInUs`, the median of
 * the pairs' slopes in µs per chunk, is information (it carries the machine's speed).
 */
export function summarizeSlopePairs({ pairs, armNames, reference, chunksAdded }) {
  const referenceIndex = armNames.indexOf(reference);
  const lengthRatio = median(
    pairs.map(({ shortCpu, longCpu }) => longCpu[referenceIndex] / shortCpu[referenceIndex]),
  );
  return armNames.map((arm, index) => {
    const ratioShort = median(
      pairs.map(({ shortCpu }) => shortCpu[index] / shortCpu[referenceIndex]),
    );
    const ratioLong = median(pairs.map(({ longCpu }) => longCpu[index] / longCpu[referenceIndex]));
    const measurable =
      typeof lengthRatio === 'number' &&
      lengthRatio > 1 &&
      typeof ratioShort === 'number' &&
      typeof ratioLong === 'number';
    return {
      arm,
      slopeInUs: median(
        pairs.map(({ shortCpu, longCpu }) => (longCpu[index] - shortCpu[index]) / chunksAdded),
      ),
      ratioShort,
      ratioLong,
      lengthRatio,
      ratioToReference: measurable
        ? Math.round(((ratioLong * lengthRatio - ratioShort) / (lengthRatio - 1)) * 1000) / 1000
        : null,
    };
  });
}

/** The rows of summarizeSlopePairs as a table. */
export function formatSlopeRows(rows) {
  const number = (value, digits) =>
    typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
  return [
    'arm              µs/chunk  ×reference  (short ×ref, long ×ref, reference long ÷ short: medians)',
    ...rows.map(
      (row) =>
        `${row.arm.padEnd(15)} ${number(row.slopeInUs, 2).padStart(9)}  ` +
        `${formatPairedRatio(row.ratioToReference).padStart(10)}  (${formatPairedRatio(row.ratioShort)}, ${formatPairedRatio(row.ratioLong)}, ${number(row.lengthRatio, 3)})`,
    ),
  ];
}

/** A ratio with 3 decimals, or `n/a` when a window had no completed request. */
export function formatPairedRatio(ratio) {
  return typeof ratio === 'number' && Number.isFinite(ratio) ? ratio.toFixed(3) : 'n/a';
}

/** The rows of one scenario as a table (arm, req/s, CPU µs/req, ratio and range, failed). */
export function formatPairedRows(rows) {
  return [
    'arm              req/s  CPU µs/req  ×reference (median of windows, range)  failed',
    ...rows.map(
      (row) =>
        `${row.arm.padEnd(15)} ${String(row.requestsPerSecond).padStart(6)} ` +
        `${String(row.cpuPerRequestInUs).padStart(11)}  ` +
        `${formatPairedRatio(row.ratioToReference).padStart(10)} (${row.ratioRange
          .map(formatPairedRatio)
          .join('–')})`.padEnd(41) +
        `${String(row.failed).padStart(7)}`,
    ),
  ];
}
