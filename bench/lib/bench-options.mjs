/**
 * Settings of one bench run, from flags and BENCH_* environment variables (flags win).
 * Defaults are budgeted so the whole default run stays under ten minutes on two cores.
 */

/**
 * `json-floor`: the floor parsing and re-serialising the JSON it relays (what any proxy that
 * reads its traffic pays);
 * `core`: node:http and the real qwen-client, JSON in and out (what the client library costs;
 * the proxy above it is its own layers);
 * `proxy-chat`: the proxy sending chat in a Responses/Messages scenario (translation's floor);
 * `proxy-baseline`: another build of the proxy (`--baseline-proxy`), inline, for before/after in
 * one run.
 */
export const ALL_ARMS = [
  'direct',
  'floor',
  'json-floor',
  'core',
  'proxy',
  'proxy-workers',
  'proxy-chat',
  'proxy-baseline',
];

export const HELP_TEXT = `usage: pnpm bench [--quick] [--cpu-prof] [--runs N] [--duration S]
                  [--scenarios a,b] [--arms a,b] [--sse-workers N]

  --quick             smoke run: 1 run, 1 s per measurement, every scenario
  --cpu-prof          start the proxy with node --cpu-prof (profiles in bench/results/profiles/)
                      and print the top self-time functions of each profile
  --runs N            runs per arm and scenario, median reported (BENCH_RUNS, default 3)
  --duration S        seconds per measurement (BENCH_DURATION_S, default 3)
  --scenarios a,b     only these scenarios (BENCH_SCENARIOS)
  --arms a,b          only these arms: ${ALL_ARMS.join(', ')} (BENCH_ARMS)
  --sse-workers N     SSE_WORKERS of the proxy-workers arm (BENCH_SSE_WORKERS, default 2)
  --paced-1000-interval-ms N
                      chunk interval of paced-1000 (BENCH_PACED_1000_INTERVAL_MS, default 100;
                      20 = 64 chunks × 20 ms like paced-50/200, beyond what 2 cores can feed)
  --latency-rate R    requests/s of the fixed-rate latency scenario (BENCH_LATENCY_RATE, default 500)
  --baseline-proxy P  apps/proxy/dist/main.js of another checkout (BENCH_BASELINE_PROXY): adds the
                      proxy-baseline arm to every scenario with a proxy arm (before/after, one run)
  --proxy-log-level L LOG_LEVEL of the proxy (BENCH_PROXY_LOG_LEVEL, default info: the
                      proxy's own default, one access line per request)
  --warmup S          at least this many seconds of load each arm gets before its first
                      measurement (BENCH_WARMUP_S, default 1)
  --warmup-max S      at most this many (BENCH_WARMUP_MAX_S, default 20, quick 0): a saturating
                      scenario warms each arm in 1 s slices until its CPU per request stopped
                      falling (two slices no lower than 0.9 × the lowest before them); a fresh
                      proxy takes 4-8 s. Not above --warmup: a fixed warm-up of --warmup seconds
  --paired-duration S seconds of the paired phase per CPU target (BENCH_PAIRED_DURATION_S,
                      default 16, quick 4; 0 skips it): after the scenarios, each CPU target's two
                      arms run at once and the target is held to the ratio of the same seconds
  --max-total S       hard limit for the whole run (BENCH_MAX_TOTAL_S, default 2700)
`;

const FLAG_TO_ENV = {
  runs: 'BENCH_RUNS',
  duration: 'BENCH_DURATION_S',
  scenarios: 'BENCH_SCENARIOS',
  arms: 'BENCH_ARMS',
  'sse-workers': 'BENCH_SSE_WORKERS',
  'latency-rate': 'BENCH_LATENCY_RATE',
  'paced-1000-interval-ms': 'BENCH_PACED_1000_INTERVAL_MS',
  'proxy-log-level': 'BENCH_PROXY_LOG_LEVEL',
  'baseline-proxy': 'BENCH_BASELINE_PROXY',
  'max-total': 'BENCH_MAX_TOTAL_S',
  'paired-duration': 'BENCH_PAIRED_DURATION_S',
  warmup: 'BENCH_WARMUP_S',
  'warmup-max': 'BENCH_WARMUP_MAX_S',
};

function parseFlags(argv) {
  const values = {};
  const switches = new Set();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--') continue;
    if (!argument.startsWith('--'))
      throw new Error(`unexpected argument ${argument}\n${HELP_TEXT}`);
    const [name, inlineValue] = argument.slice(2).split(/=(.*)/s, 2);
    if (name in FLAG_TO_ENV) {
      const value = inlineValue ?? argv[++index];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      values[FLAG_TO_ENV[name]] = value;
    } else if (['quick', 'cpu-prof', 'help'].includes(name)) switches.add(name);
    else throw new Error(`unknown option --${name}\n${HELP_TEXT}`);
  }
  return { values, switches };
}

function readNumber({ settings, name, fallback, minimum }) {
  const text = settings[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < minimum) throw new Error(`${name} must be ≥ ${minimum}`);
  return value;
}

function readList(text) {
  return text
    ? text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : null;
}

/** Parses flags and environment into the run's settings. */
export function parseBenchOptions({ argv, env }) {
  const { values, switches } = parseFlags(argv);
  const settings = { ...env, ...values };
  const quick = switches.has('quick') || env.BENCH_QUICK === '1';
  const arms = readList(settings.BENCH_ARMS) ?? ALL_ARMS;
  for (const arm of arms) if (!ALL_ARMS.includes(arm)) throw new Error(`unknown arm ${arm}`);
  return {
    help: switches.has('help'),
    quick,
    cpuProfile: switches.has('cpu-prof'),
    runs: readNumber({ settings, name: 'BENCH_RUNS', fallback: quick ? 1 : 3, minimum: 1 }),
    durationInS: readNumber({
      settings,
      name: 'BENCH_DURATION_S',
      fallback: quick ? 1 : 3,
      minimum: 0.5,
    }),
    warmupInS: readNumber({
      settings,
      name: 'BENCH_WARMUP_S',
      fallback: quick ? 0.3 : 1,
      minimum: 0,
    }),
    warmupMaxInS: readNumber({
      settings,
      name: 'BENCH_WARMUP_MAX_S',
      fallback: quick ? 0 : 20,
      minimum: 0,
    }),
    scenarioNames: readList(settings.BENCH_SCENARIOS),
    arms,
    sseWorkers: readNumber({ settings, name: 'BENCH_SSE_WORKERS', fallback: 2, minimum: 1 }),
    latencyRate: readNumber({ settings, name: 'BENCH_LATENCY_RATE', fallback: 500, minimum: 1 }),
    paced1000IntervalInMs: readNumber({
      settings,
      name: 'BENCH_PACED_1000_INTERVAL_MS',
      fallback: 100,
      minimum: 1,
    }),
    proxyLogLevel: settings.BENCH_PROXY_LOG_LEVEL || 'info',
    baselineProxyMain: settings.BENCH_BASELINE_PROXY || null,
    maxTotalInS: readNumber({ settings, name: 'BENCH_MAX_TOTAL_S', fallback: 2700, minimum: 10 }),
    pairedDurationInS: readNumber({
      settings,
      name: 'BENCH_PAIRED_DURATION_S',
      fallback: quick ? 4 : 16,
      minimum: 0,
    }),
  };
}
