/**
 * Runs one scenario: starts its arms (fresh processes), warms each up until it is warm
 * (`warmUpArm`), then measures every arm `runs` times in a rotating order and reduces each arm's
 * runs to a summary. Token scenarios start each proxy just before its measurement, because the
 * token's clock starts with it.
 */
import { request } from 'undici';
import { measureArm, warmUpArm } from './measure-arm.mjs';
import { startArm } from './start-arm.mjs';
import { summarizeRuns } from './summarize-runs.mjs';

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

function describeWarmUp({ seconds, cpuPerRequestInUs }) {
  const slices = cpuPerRequestInUs.length
    ? `, CPU per request by second ${cpuPerRequestInUs.map((v) => (Number.isFinite(v) ? v : '–')).join(' ')} µs`
    : '';
  return `${seconds} s${slices}`;
}

/**
 * A scenario served by a key account on one of the fake's plan hosts (a passthrough path): the
 * proxy gets an accounts file with that account only, and the floor sends the same request to
 * the host's native endpoint with the key.
 */
export async function attachKeyAccount({ scenario, fake }) {
  const { type, host, nativePath, fromHostRoot = false, headers = {} } = scenario.keyAccount;
  const apiKey = await fake.call('issuePlanKey', { type });
  const baseUrl = await fake.call('planBaseUrl', { host });
  // `nativePath` follows the OpenAI base, or with `fromHostRoot` the host's root (the OpenAI
  // base without its `/v1` or `/compatible-mode/v1`, as the proxy finds the Anthropic base)
  const openAIPath = new URL(baseUrl).pathname;
  const base = fromHostRoot ? openAIPath.replace(/\/compatible-mode\/v1$|\/v1$/i, '') : openAIPath;
  const floorRequest = {
    path: `${base}${nativePath}`,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${apiKey}`,
      ...headers,
    },
  };
  return {
    ...scenario,
    upstreamAccount: { id: `${type}-1`, type, apiKey, baseUrl },
    phases: scenario.phases.map((phase) => ({
      ...phase,
      requestByArm: { ...phase.requestByArm, floor: floorRequest },
    })),
  };
}

/** True unless the proxy at `origin` answers `route` with 404 (not built into this version). */
async function servesRoute({ origin, route }) {
  const response = await request(`${origin}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  await response.body.dump();
  return response.statusCode !== 404;
}

/**
 * Runs `scenario` on `arms`; returns `{ arms: { arm: { runs, summary } }, profileDirs }`, or
 * `{ skipped }` when the proxy does not serve the scenario's route.
 */
export async function runScenario({ scenario: declared, arms, context }) {
  const { options, registry, fake, load, paths } = context;
  const scenario = declared.keyAccount
    ? await attachKeyAccount({ scenario: declared, fake })
    : declared;
  await fake.call('configure', { stream: scenario.fakeStream });
  // token scenarios need the proxy started right before its measurement (the token's clock)
  const startPerMeasurement = Boolean(scenario.tokenExpiry || scenario.revokeTokenAfterInS);
  const running = {};
  const runsByArm = Object.fromEntries(arms.map((arm) => [arm, []]));
  const warmUpByArm = {};
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
      const proxyArm = arms.find((arm) => arm === 'proxy');
      if (scenario.requiresRoute && proxyArm) {
        const { origin } = running[proxyArm];
        if (!(await servesRoute({ origin, route: scenario.requiresRoute }))) {
          return { skipped: `the proxy does not serve ${scenario.requiresRoute}`, profileDirs };
        }
      }
      if (scenario.warmup !== false && options.warmupInS > 0) {
        for (const arm of arms) {
          warmUpByArm[arm] = await warmUpArm({ arm: running[arm], scenario, load, options });
          console.log(`  warm-up ${arm.padEnd(13)} ${describeWarmUp(warmUpByArm[arm])}`);
        }
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
    arms.map((arm) => [
      arm,
      {
        runs: runsByArm[arm],
        summary: summarizeRuns(runsByArm[arm]),
        ...(warmUpByArm[arm] ? { warmUp: warmUpByArm[arm] } : {}),
      },
    ]),
  );
  return { arms: armResults, profileDirs };
}
