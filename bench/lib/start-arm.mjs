/**
 * Starts the process behind one arm for one scenario: nothing for `direct`, the floor proxy,
 * or apps/proxy (inline or with SSE workers) with its own temp QWEN_DIR holding credentials
 * the fake issued. Floor and proxy get the probe preloaded for CPU time and event-loop delay.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import { CHAT_PATH } from './scenarios.mjs';

/** Environment names the proxy reads: never inherited from the shell running the bench. */
const PROXY_ENV_PREFIXES = ['QWEN_', 'PROXY_', 'SSE_', 'LOG_', 'CORS_', 'RETRY_'];
const PROXY_ENV_NAMES = [
  'PORT',
  'HOST',
  'CONNECT_TIMEOUT_MS',
  'HEADERS_TIMEOUT_MS',
  'IDLE_TIMEOUT_MS',
  'TOTAL_TIMEOUT_MS',
  'MAX_RETRIES',
  'REFRESH_BUFFER_MS',
  'BODY_LIMIT_BYTES',
  'ALLOW_NON_LOOPBACK_WITHOUT_KEYS',
  'SHUTDOWN_GRACE_MS',
  'STREAM_FALLBACK',
];

function createCleanEnv() {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    const isProxySetting =
      PROXY_ENV_NAMES.includes(name) ||
      PROXY_ENV_PREFIXES.some((prefix) => name.startsWith(prefix));
    if (!isProxySetting) env[name] = value;
  }
  return env;
}

/** A free loopback port (the proxy is told it with PORT; released just before it binds). */
/** A free loopback port (bound and released). */
export async function findFreePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilServing({ origin, child, timeoutInMs = 20_000 }) {
  const deadlineInMs = Date.now() + timeoutInMs;
  while (Date.now() < deadlineInMs) {
    if (child.exited) throw new Error(`${child.name} exited during start-up; see ${child.logPath}`);
    try {
      const response = await request(`${origin}/v1/models`, { headersTimeout: 2_000 });
      await response.body.dump();
      if (response.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error(`${child.name} did not serve ${origin}/v1/models within ${timeoutInMs} ms`);
}

/** True when apps/proxy has been built. */
export function isProxyBuilt(paths) {
  return existsSync(paths.proxyMain);
}

/**
 * node's flags for an arm's process: the probe preloaded, and `--cpu-prof` into the arm's own
 * directory (created here) when asked. One directory per process: node names each thread's
 * profile by pid and thread id.
 */
async function prepareArmNode({ name, scenario, options, paths }) {
  const probeImport = ['--import', pathToFileURL(paths.probe).href];
  const profileDir = join(paths.profiles, `${scenario.name}-${name}`);
  if (!options.cpuProfile) return { execArgv: probeImport, profileDir };
  await mkdir(profileDir, { recursive: true });
  return { execArgv: [...probeImport, '--cpu-prof', `--cpu-prof-dir=${profileDir}`], profileDir };
}

/**
 * Starts a bench script (`floor-proxy.mjs`, `core-proxy.mjs`) that reports `ready` with its URL,
 * with the probe preloaded (and `--cpu-prof` when asked).
 */
async function startScriptArm({ name, script, args, headers, registry, scenario, options, paths }) {
  const { execArgv, profileDir } = await prepareArmNode({ name, scenario, options, paths });
  const child = registry.startChild({ name: `${scenario.name}-${name}`, script, args, execArgv });
  const { url } = await child.waitForEvent('ready');
  return {
    name,
    origin: url,
    headers,
    pid: child.pid,
    child,
    stop: child.stop,
    ...(options.cpuProfile ? { profileDir } : {}),
  };
}

/**
 * Starts arm `name`. Returns `{ name, origin, headers, pid, probe, stop, accessToken }`;
 * `headers` are what the load sends (the fake's bearer for direct and floor).
 */
export async function startArm({ name, registry, fake, scenario, options, paths }) {
  const jsonHeaders = { 'content-type': 'application/json' };

  if (name === 'direct' || name === 'floor' || name === 'json-floor') {
    const bearerHeaders = { ...jsonHeaders, authorization: `Bearer ${fake.accessToken}` };
    if (name === 'direct') {
      return { name, origin: fake.url, headers: bearerHeaders, pid: null, stop: async () => {} };
    }
    return startScriptArm({
      name,
      script: paths.floor,
      args: name === 'json-floor' ? [fake.url, '--json'] : [fake.url],
      headers: bearerHeaders,
      registry,
      scenario,
      options,
      paths,
    });
  }

  if (name === 'core') {
    // the client library alone: the fake's token handed in, the same load as the proxy gets
    if (scenario.phases.some((phase) => phase.path !== undefined && phase.path !== CHAT_PATH)) {
      throw new Error(`the core arm relays chat completions only, not ${scenario.name}`);
    }
    const credentials = await fake.call('issueCredentials', { expiresInSeconds: 7 * 24 * 3600 });
    return startScriptArm({
      name,
      script: paths.core,
      args: [fake.url, credentials.access_token, credentials.resource_url ?? fake.url],
      headers: jsonHeaders,
      registry,
      scenario,
      options,
      paths,
    });
  }

  const qwenDir = await mkdtemp(join(tmpdir(), 'qwen-relay-bench-'));
  const expiresInSeconds = scenario.tokenExpiry
    ? scenario.tokenExpiry.refreshBufferInS + scenario.tokenExpiry.leadInS
    : 7 * 24 * 3600;
  const credentials = await fake.call('issueCredentials', { expiresInSeconds });
  // a key account instead of the OAuth login: the proxy's only account (no rotation to OAuth)
  const accountsEnv = {};
  if (scenario.upstreamAccount) {
    const accountsPath = join(qwenDir, 'accounts.json');
    await writeFile(accountsPath, JSON.stringify({ accounts: [scenario.upstreamAccount] }), {
      mode: 0o600,
    });
    accountsEnv.QWEN_RELAY_ACCOUNTS = accountsPath;
  } else {
    await fake.call('writeCredentialsFile', { dir: qwenDir, credentials });
  }
  const port = await findFreePort();
  const { execArgv, profileDir } = await prepareArmNode({ name, scenario, options, paths });
  const child = registry.startChild({
    name: `${scenario.name}-${name}`,
    script: name === 'proxy-baseline' ? options.baselineProxyMain : paths.proxyMain,
    execArgv,
    env: {
      ...createCleanEnv(),
      PORT: String(port),
      HOST: '127.0.0.1',
      QWEN_DIR: qwenDir,
      STATE_DIR: join(qwenDir, 'state'),
      QWEN_OAUTH_BASE_URL: fake.url,
      SSE_WORKERS: name === 'proxy-workers' ? String(options.sseWorkers) : '0',
      LOG_LEVEL: options.proxyLogLevel,
      LOG_FORMAT: 'json',
      ...accountsEnv,
      ...(scenario.tokenExpiry
        ? { REFRESH_BUFFER_MS: String(scenario.tokenExpiry.refreshBufferInS * 1000) }
        : {}),
    },
    cwd: qwenDir,
    replaceEnv: true,
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing({ origin, child });
  } catch (error) {
    await child.stop();
    await rm(qwenDir, { recursive: true, force: true });
    throw error;
  }
  return {
    name,
    origin,
    headers: jsonHeaders,
    pid: child.pid,
    child,
    accessToken: credentials.access_token,
    profileDir: options.cpuProfile ? profileDir : null,
    async stop() {
      await child.stop();
      await rm(qwenDir, { recursive: true, force: true });
    },
  };
}
