/**
 * Cluster bench (issue 16): the same steady load through one proxy without Redis, one replica
 * on Redis, and three replicas on one Redis (round-robin), with short-lived OAuth tokens so that
 * refreshes happen during the measurement. Prints refreshes and failures per arm, the added
 * latency of the Redis round trips against the single process, Redis's own PING round trip, and
 * the Redis commands each request cost. Never part of `pnpm test`; needs `pnpm build` and a
 * `redis-server` on PATH.
 *
 *   node bench/cluster.mjs [--duration S] [--rate R] [--token-ttl S] [--refresh-buffer-ms N]
 *                          [--arms single,redis-1,redis-3] [--log-level L]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importClusterCredentials, writeClusterAccountsDocument } from '@qwen-relay/proxy';
import { createRedisStateStore } from '@qwen-relay/state-store';
import { hasRedisServer, startRedisServer } from '@qwen-relay/state-store/testing';
import { openRedisProbe } from './cluster/redis-probe.mjs';
import { createChildRegistry } from './lib/child-processes.mjs';
import { findFreePort, isProxyBuilt } from './lib/start-arm.mjs';
import { runRoundRobin } from './load/run-round-robin.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const paths = {
  proxyMain: join(here, '..', 'apps', 'proxy', 'dist', 'main.js'),
  fake: join(here, 'fake-server.mjs'),
  results: join(here, 'results'),
};
const ALL_ARMS = ['single', 'redis-1', 'redis-3'];

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rate: { type: 'string', default: '100' },
    'token-ttl': { type: 'string', default: '4' },
    'refresh-buffer-ms': { type: 'string', default: '1000' },
    arms: { type: 'string', default: ALL_ARMS.join(',') },
    'log-level': { type: 'string', default: 'info' },
    pings: { type: 'string', default: '2000' },
  },
});
const options = {
  durationInS: Number(values.duration),
  ratePerS: Number(values.rate),
  tokenTtlInS: Number(values['token-ttl']),
  refreshBufferInMs: Number(values['refresh-buffer-ms']),
  arms: values.arms.split(',').filter(Boolean),
  logLevel: values['log-level'],
  pings: Number(values.pings),
};
for (const arm of options.arms) {
  if (!ALL_ARMS.includes(arm)) throw new Error(`unknown arm ${arm} (known: ${ALL_ARMS})`);
}
if (!isProxyBuilt(paths)) {
  console.error('apps/proxy/dist/main.js is missing: run `pnpm build` first');
  process.exit(1);
}
if (!hasRedisServer) {
  console.error('redis-server is not on PATH (Debian: apt-get install redis-server)');
  process.exit(1);
}

const chatBody = JSON.stringify({
  model: 'coder-model',
  messages: [{ role: 'user', content: 'Say something short.' }],
});

async function waitUntilReady({ origin, child, timeoutInMs = 30_000 }) {
  const deadlineInMs = Date.now() + timeoutInMs;
  while (Date.now() < deadlineInMs) {
    if (child.exited) throw new Error(`${child.name} exited during start-up; see ${child.logPath}`);
    const response = await fetch(`${origin}/readyz`).catch(() => undefined);
    if (response?.ok) return;
    await delay(100);
  }
  const readiness = await fetch(`${origin}/readyz`)
    .then((response) => response.text())
    .catch((error) => String(error));
  throw new Error(
    `${child.name} was not ready within ${timeoutInMs} ms (${readiness}); see ${child.logPath}`,
  );
}

const workDir = await mkdtemp(join(tmpdir(), 'qwen-relay-cluster-bench-'));
const registry = createChildRegistry({ logDir: workDir });
const stopEverything = async () => {
  await registry.stopAll();
};
process.once('SIGINT', () => {
  registry.killAllNow();
  process.exit(130);
});

/** Starts one proxy process; `redisUrl` makes it a replica, else it reads `qwenDir`. */
async function startProxy({ name, qwenDir, redisUrl }) {
  const port = await findFreePort();
  const child = registry.startChild({
    name,
    script: paths.proxyMain,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: workDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      QWEN_DIR: qwenDir,
      STATE_DIR: join(qwenDir, 'state'),
      QWEN_OAUTH_BASE_URL: fake.url,
      REFRESH_BUFFER_MS: String(options.refreshBufferInMs),
      LOG_LEVEL: options.logLevel,
      LOG_FORMAT: 'json',
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    },
    cwd: qwenDir,
    replaceEnv: true,
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitUntilReady({ origin, child });
  return { child, origin };
}

/** One arm: fresh credentials (and a fresh Redis), warm-up, then the measured steady load. */
async function runArm(arm) {
  const replicaCount = arm === 'redis-3' ? 3 : 1;
  const credentials = await fake.call('issueCredentials', {
    expiresInSeconds: options.tokenTtlInS,
  });
  const armDir = join(workDir, arm);
  await mkdir(armDir, { recursive: true });
  let redis;
  let probe;
  const proxies = [];
  try {
    if (arm === 'single') {
      const qwenDir = join(armDir, 'qwen');
      await fake.call('writeCredentialsFile', { dir: qwenDir, credentials });
      proxies.push(await startProxy({ name: `${arm}-0`, qwenDir }));
    } else {
      redis = await startRedisServer();
      const admin = createRedisStateStore({ url: redis.url });
      for (let tries = 0; !admin.status().available && tries < 100; tries++) await delay(50);
      await importClusterCredentials({
        store: admin,
        accountId: 'team',
        credentials,
        importedBy: 'bench',
      });
      await writeClusterAccountsDocument({
        store: admin,
        entries: [{ id: 'team', type: 'qwen-oauth' }],
      });
      await admin.close();
      for (let index = 0; index < replicaCount; index++) {
        const qwenDir = join(armDir, `qwen-${index}`);
        await mkdir(qwenDir, { recursive: true });
        proxies.push(await startProxy({ name: `${arm}-${index}`, qwenDir, redisUrl: redis.url }));
      }
      probe = await openRedisProbe(redis.url);
    }
    const load = {
      origins: proxies.map((proxy) => proxy.origin),
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json' },
      body: chatBody,
      connectionsPerOrigin: 32,
      ratePerS: options.ratePerS,
    };
    await runRoundRobin({ ...load, durationInS: 1 });
    const before = await fake.call('counters');
    const commandsBefore = probe ? await probe.readCommandsProcessed() : undefined;
    const result = await runRoundRobin({ ...load, durationInS: options.durationInS });
    const after = await fake.call('counters');
    const commandsAfter = probe ? await probe.readCommandsProcessed() : undefined;
    // the probe's own INFO is one command; no other client is connected but the replicas
    const redisCommands =
      commandsBefore === undefined ? undefined : commandsAfter - commandsBefore - 1;
    const ping = probe ? await probe.measurePing(options.pings) : undefined;
    return {
      arm,
      replicas: replicaCount,
      ...result,
      refreshCalls: after.refreshCalls - before.refreshCalls,
      refreshSuccesses: after.refreshSuccesses - before.refreshSuccesses,
      expectedRefreshes:
        Math.round(
          (result.durationInS / (options.tokenTtlInS - options.refreshBufferInMs / 1000)) * 10,
        ) / 10,
      ...(redisCommands === undefined
        ? {}
        : {
            redisCommands,
            redisCommandsPerRequest: Math.round((redisCommands / result.sent) * 100) / 100,
          }),
      ...(ping ? { redisPing: ping } : {}),
    };
  } finally {
    probe?.close();
    await Promise.all(proxies.map((proxy) => proxy.child.stop()));
    await redis?.stop();
  }
}

const format = (value) => (value === undefined || value === null ? '–' : String(value));

let fake;
try {
  fake = registry.startChild({
    name: 'fake',
    script: paths.fake,
    args: [JSON.stringify({ accessTokenTtlInSeconds: options.tokenTtlInS })],
  });
  fake.url = (await fake.waitForEvent('ready')).url;

  const results = [];
  for (const arm of options.arms) {
    console.log(`running ${arm} (${options.durationInS} s at ${options.ratePerS} req/s)…`);
    results.push(await runArm(arm));
  }
  const single = results.find((result) => result.arm === 'single');
  console.log('');
  console.log(
    '| arm | replicas | ok | failed | req/s | p50 ms | p99 ms | +p50 ms | +p99 ms | refreshes (expected ≈) | rejected refreshes | Redis cmds/req |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const result of results) {
    const added = (key) =>
      single && result !== single && result.latency && single.latency
        ? Math.round((result.latency[key] - single.latency[key]) * 1000) / 1000
        : undefined;
    console.log(
      `| ${result.arm} | ${result.replicas} | ${result.requests} | ${result.failed} | ${result.requestsPerS} | ${format(result.latency?.p50InMs)} | ${format(result.latency?.p99InMs)} | ${format(added('p50InMs'))} | ${format(added('p99InMs'))} | ${result.refreshCalls} (${result.expectedRefreshes}) | ${result.refreshCalls - result.refreshSuccesses} | ${format(result.redisCommandsPerRequest)} |`,
    );
  }
  for (const result of results) {
    if (result.redisPing) {
      console.log(
        `Redis PING round trip (${result.arm}, ${options.pings} sequential): p50 ${result.redisPing.p50InMs} ms, p99 ${result.redisPing.p99InMs} ms`,
      );
    }
  }
  await mkdir(paths.results, { recursive: true });
  const file = join(paths.results, `cluster-${new Date().toISOString().replaceAll(':', '-')}.json`);
  await writeFile(file, `${JSON.stringify({ options, results }, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
  await rm(workDir, { recursive: true, force: true });
} finally {
  await stopEverything();
}
