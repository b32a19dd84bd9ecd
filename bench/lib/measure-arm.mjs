/**
 * One measurement of one arm in one scenario: every load phase in turn, each bracketed by CPU
 * time and event-loop delay from the probe and by the kernel's peak-RSS mark, merged into one
 * flat record of numbers (the unit is in each name). Warm-up runs the same load unmeasured.
 */
import { readCpuTimeInUs, readPeakRssInMb, resetPeakRss } from './process-stats.mjs';
import { median } from './summarize-runs.mjs';
import { isWarm } from './warm-up.mjs';

function createLoadRequest({ phase: scenarioPhase, arm, durationInS, concurrencyCap }) {
  // arms that stand for a floor (chat pass-through, the proxy's own chat path) send their request
  const phase = { ...scenarioPhase, ...scenarioPhase.requestByArm?.[arm.name] };
  const cap = (value) => Math.min(value, concurrencyCap ?? value);
  if (phase.kind === 'fixed-rate') {
    return {
      origin: arm.origin,
      path: phase.path,
      headers: phase.headers ?? arm.headers,
      body: phase.body,
      connections: cap(phase.connections),
      ratePerS: concurrencyCap ? Math.min(phase.ratePerS, 100) : phase.ratePerS,
      durationInS,
    };
  }
  if (phase.kind === 'autocannon') {
    return {
      url: arm.origin + phase.path,
      headers: phase.headers ?? arm.headers,
      body: phase.body,
      connections: cap(phase.connections),
      durationInS,
    };
  }
  return {
    origin: arm.origin,
    path: phase.path,
    headers: phase.headers ?? arm.headers,
    body: phase.body,
    concurrency: cap(phase.concurrency),
    durationInMs: durationInS * 1000,
    rampUpInMs: concurrencyCap ? 0 : (phase.rampUpInMs ?? 0),
    stallThresholdInMs: phase.stallThresholdInMs ?? null,
    ...(phase.doneMarker ? { doneMarker: phase.doneMarker } : {}),
  };
}

async function takeProcessSnapshot({ arm, reset }) {
  if (!arm.child) return null;
  try {
    return await arm.child.call('probe:snapshot', { reset });
  } catch {
    // no probe answering: CPU from /proc (10 ms resolution), no event-loop delay
    return { cpuTimeInUs: await readCpuTimeInUs(arm.pid), eventLoopDelay: null };
  }
}

const convertToPercent = ({ before, after, elapsedInMs }) =>
  Math.round((after.user + after.system - before.user - before.system) / 10 / elapsedInMs);

const maxOf = (a, b) => (a === null || a === undefined ? b : b === null ? a : Math.max(a, b));
const perUnit = (total, count) => (total === null || !count ? null : Math.round(total / count));

/** Seconds of one warm-up slice of a saturating phase. */
const WARM_UP_SLICE_IN_S = 1;

/**
 * Warm-up: the scenario's first phase, with at most 100 concurrent clients, unmeasured. A
 * saturating phase (autocannon) on an arm with a process of its own runs in slices of
 * `WARM_UP_SLICE_IN_S` until the arm is warm (`isWarm`: its CPU per request stopped falling),
 * for at least `options.warmupInS` and at most `options.warmupMaxInS` seconds; any other phase
 * runs `options.warmupInS` seconds. Returns `{ seconds, cpuPerRequestInUs }` (one value per
 * slice; empty for a fixed warm-up).
 */
export async function warmUpArm({ arm, scenario, load, options }) {
  const phase = scenario.phases[0];
  const run = (durationInS) =>
    load.call(phase.kind, createLoadRequest({ phase, arm, durationInS, concurrencyCap: 100 }), {
      timeoutInMs: durationInS * 1000 + 120_000,
    });
  const adaptive =
    phase.kind === 'autocannon' && arm.pid && options.warmupMaxInS > options.warmupInS;
  if (!adaptive) {
    await run(options.warmupInS);
    return { seconds: options.warmupInS, cpuPerRequestInUs: [] };
  }
  const cpuPerRequestInUs = [];
  let seconds = 0;
  while (seconds < options.warmupMaxInS) {
    const before = await readCpuTimeInUs(arm.pid);
    const result = await run(WARM_UP_SLICE_IN_S);
    const after = await readCpuTimeInUs(arm.pid);
    seconds += WARM_UP_SLICE_IN_S;
    const cpuInUs = before === null || after === null ? Number.NaN : after - before;
    cpuPerRequestInUs.push(
      result.requests > 0 ? Math.round(cpuInUs / result.requests) : Number.NaN,
    );
    if (seconds >= options.warmupInS && isWarm(cpuPerRequestInUs)) break;
  }
  return { seconds, cpuPerRequestInUs };
}

/** Runs every phase of `scenario` against `arm` and returns the merged metrics. */
export async function measureArm({ arm, scenario, load, fake, options }) {
  const metrics = { failed: 0, failureReasons: {} };
  // token scenarios: run.mjs reset the fake's counters and started watching refreshes before
  // the proxy started, so a refresh at start-up counts too
  const watchesTokens = Boolean(scenario.tokenExpiry || scenario.revokeTokenAfterInS);
  let loadStartedAtInMs = null;
  for (const phase of scenario.phases) {
    const durationInS = phase.durationInS ?? options.durationInS;
    if (arm.pid) await resetPeakRss(arm.pid);
    // token scenarios keep the counters they started with (refreshes at start-up count)
    if (!watchesTokens) await fake.call('reset');
    await fake.call('sampleConcurrency');
    const before = await takeProcessSnapshot({ arm, reset: true });
    const [fakeCpuBefore, loadCpuBefore] = await Promise.all([
      fake.call('cpuUsage'),
      load.call('cpuUsage'),
    ]);
    const startedAtInMs = Date.now();
    loadStartedAtInMs ??= startedAtInMs;
    const revokeTimer = scenario.revokeTokenAfterInS
      ? setTimeout(() => {
          void fake.call('invalidateAccessToken', { accessToken: arm.accessToken });
        }, scenario.revokeTokenAfterInS * 1000)
      : null;
    const result = await load.call(phase.kind, createLoadRequest({ phase, arm, durationInS }), {
      timeoutInMs: durationInS * 1000 + 120_000,
    });
    if (revokeTimer) clearTimeout(revokeTimer);
    const [fakeCpuAfter, loadCpuAfter] = await Promise.all([
      fake.call('cpuUsage'),
      load.call('cpuUsage'),
    ]);
    const after = await takeProcessSnapshot({ arm, reset: false });
    const elapsedInMs = Date.now() - startedAtInMs;
    // the fake and the load generator share the two cores: near 100 % they are the limit
    metrics.fakeCpuPercent = maxOf(
      metrics.fakeCpuPercent,
      convertToPercent({ before: fakeCpuBefore, after: fakeCpuAfter, elapsedInMs }),
    );
    metrics.loadCpuPercent = maxOf(
      metrics.loadCpuPercent,
      convertToPercent({ before: loadCpuBefore, after: loadCpuAfter, elapsedInMs }),
    );
    const cpuTimeInUs = before && after ? after.cpuTimeInUs - before.cpuTimeInUs : null;

    metrics.failed += result.failed;
    for (const [reason, count] of Object.entries(result.failureReasons ?? result.statusCounts)) {
      if (reason.startsWith('2')) continue;
      metrics.failureReasons[reason] = (metrics.failureReasons[reason] ?? 0) + count;
    }
    if (phase.kind === 'autocannon' || phase.kind === 'fixed-rate') {
      metrics.requestsPerS = result.requestsPerS;
      metrics.requests = result.requests;
      metrics.latencyP50InMs = result.latency?.p50InMs ?? null;
      metrics.latencyP99InMs = result.latency?.p99InMs ?? null;
      metrics.cpuPerRequestInUs = perUnit(cpuTimeInUs, result.requests);
    } else {
      metrics.requestsPerS ??= result.streamsPerS;
      metrics.streamsCompleted = result.streamsCompleted;
      metrics.streamsAborted = result.streamsAborted;
      metrics.eventsPerS = result.eventsPerS;
      metrics.ttfbP50InMs = result.timeToFirstByte?.p50InMs ?? null;
      metrics.ttfbP99InMs = result.timeToFirstByte?.p99InMs ?? null;
      metrics.gapP99InMs = result.gap?.p99InMs ?? null;
      metrics.gapMaxInMs = result.gap?.maxInMs ?? null;
      metrics.stalledStreams = phase.stallThresholdInMs ? result.stalledStreams : null;
      metrics.cpuPerEventInUs = perUnit(cpuTimeInUs, result.events);
      metrics.cpuPerRequestInUs ??= perUnit(cpuTimeInUs, result.streamsCompleted);
    }
    if (cpuTimeInUs !== null) {
      metrics.cpuPercent = maxOf(metrics.cpuPercent, Math.round(cpuTimeInUs / 10 / elapsedInMs));
    }
    metrics.eventLoopDelayP99InMs = maxOf(
      metrics.eventLoopDelayP99InMs,
      after?.eventLoopDelay?.p99InMs ?? null,
    );
    metrics.eventLoopDelayMaxInMs = maxOf(
      metrics.eventLoopDelayMaxInMs,
      after?.eventLoopDelay?.maxInMs ?? null,
    );
    if (arm.pid) metrics.peakRssInMb = maxOf(metrics.peakRssInMb, await readPeakRssInMb(arm.pid));
    // how many requests the fake typically served at once: shows a connection cap in front of it
    const concurrencySamples = await fake.call('stopSamplingConcurrency');
    metrics.upstreamConcurrencyP50 = maxOf(
      metrics.upstreamConcurrencyP50,
      median(concurrencySamples),
    );
  }
  if (watchesTokens) {
    const refreshTimesInMs = await fake.call('stopWatchingRefreshes');
    const counters = await fake.call('counters');
    metrics.refreshCalls = counters.refreshCalls;
    metrics.unauthorizedSent = counters.unauthorizedSent;
    // when each refresh reached the fake, relative to the start of the load (negative: before)
    metrics.refreshesAtInMs = refreshTimesInMs.map((atInMs) => atInMs - loadStartedAtInMs);
  }
  return metrics;
}
