/**
 * The fake Qwen upstream in its own process, so its CPU never competes inside the process
 * being measured. Started by run.mjs with the FakeQwenOptions as JSON in argv[2]; prints its
 * URL and answers IPC commands (counters, configure, credentials, token invalidation).
 */
import { startFakeQwen } from '@qwen-relay/fake-qwen';
import { sendEvent, serveRpc } from './lib/serve-rpc.mjs';

const fakeOptions = JSON.parse(process.argv[2] ?? '{}');
const fake = await startFakeQwen({ host: '127.0.0.1', port: 0, ...fakeOptions });

// refresh-token grants seen by the fake, timestamped by polling its counter while watched
let refreshWatch = null;
function stopRefreshWatch() {
  if (!refreshWatch) return [];
  clearInterval(refreshWatch.timer);
  const { refreshTimesInMs } = refreshWatch;
  refreshWatch = null;
  return refreshTimesInMs;
}

// requests in progress at the fake, sampled every 50 ms while a measurement runs
let concurrencySampling = null;
function stopConcurrencySampling() {
  if (!concurrencySampling) return [];
  clearInterval(concurrencySampling.timer);
  const { samples } = concurrencySampling;
  concurrencySampling = null;
  return samples;
}

serveRpc({
  counters: () => ({ ...fake.counters }),
  reset: () => fake.reset(),
  configure: (options) => fake.configure(options),
  issueCredentials: ({ expiresInSeconds }) => fake.issueCredentials({ expiresInSeconds }),
  writeCredentialsFile: (options) => fake.writeCredentialsFile(options),
  invalidateAccessToken: ({ accessToken }) => fake.invalidateAccessToken(accessToken),
  issuePlanKey: ({ type }) => fake.issuePlanKey({ type }),
  planBaseUrl: ({ host }) => fake.planBaseUrl(host),
  cpuUsage: () => process.cpuUsage(),
  watchRefreshes: () => {
    stopRefreshWatch();
    const watch = { seen: fake.counters.refreshCalls, refreshTimesInMs: [] };
    watch.timer = setInterval(() => {
      for (; watch.seen < fake.counters.refreshCalls; watch.seen++) {
        watch.refreshTimesInMs.push(Date.now());
      }
    }, 20);
    refreshWatch = watch;
  },
  stopWatchingRefreshes: () => stopRefreshWatch(),
  sampleConcurrency: () => {
    stopConcurrencySampling();
    const sampling = { samples: [] };
    sampling.timer = setInterval(() => {
      sampling.samples.push(fake.counters.currentConcurrentRequests);
    }, 50);
    concurrencySampling = sampling;
  },
  stopSamplingConcurrency: () => stopConcurrencySampling(),
});

console.log(`fake-qwen listening on ${fake.url}`);
sendEvent('ready', { url: fake.url });
