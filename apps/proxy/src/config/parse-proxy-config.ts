import { homedir } from 'node:os';
import { join } from 'node:path';
import { createEnvAccountConfig } from '../accounts/create-env-account-config';
import { loadAccountsFile } from '../accounts/load-accounts-file';
import { isLoopbackHost } from './is-loopback-host';
import type { EnvFileLoad } from './load-env-file';
import { parseCommandLineFlags } from './parse-command-line-flags';
import type { LogFormat, LogLevel, ProxyConfig } from './proxy-config';
import { ProxyConfigError } from './proxy-config-error';
import { parseModelAliases } from './resolve-model-aliases';
import { convertEnvNameToFlagName } from './setting-definitions';

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json'];
const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);
// a DNS name or IPv4 address, or a bracketed IPv6 address: what a Host header names
const HOST_NAME_PATTERN = /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.?)+$|^\[[0-9a-f:.]+\]$/;

/**
 * Builds the configuration from `--kebab-case` flags, environment variables and the env file
 * found by loadEnvFile, in that order of precedence, and records where each setting came from.
 */
export function parseProxyConfig({
  env = {},
  argv = [],
  envFile: { envFile, ignoredPath } = {},
}: {
  env?: Record<string, string | undefined>;
  argv?: readonly string[];
  envFile?: EnvFileLoad;
} = {}): ProxyConfig {
  const flags = parseCommandLineFlags(argv);
  const settingSources: Record<string, string> = {};

  function read(envName: string): string | undefined {
    const fromFlag = flags.get(envName);
    if (fromFlag !== undefined) {
      settingSources[envName] = 'flag';
      return fromFlag;
    }
    for (const [source, values] of [
      ['env', env],
      [envFile?.path ?? '', envFile?.values ?? {}],
    ] as const) {
      const value = values[envName]?.trim();
      // an empty variable (`PORT=` in .env) means "unset", as in most tools
      if (value === undefined || value === '') continue;
      settingSources[envName] = source;
      return value;
    }
    return undefined;
  }

  function fail(envName: string, expectation: string, value: string): never {
    const source = settingSources[envName];
    const origin =
      source === 'flag'
        ? `--${convertEnvNameToFlagName(envName)}`
        : source === 'env' || source === undefined
          ? envName
          : `${envName} in ${source}`;
    throw new ProxyConfigError({
      setting: envName,
      message: `Invalid ${envName} (${origin}=${JSON.stringify(value)}): expected ${expectation}.`,
    });
  }

  function readInteger(
    envName: string,
    {
      fallback,
      min,
      max = Number.MAX_SAFE_INTEGER,
    }: { fallback: number; min: number; max?: number },
  ): number {
    const value = read(envName);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      fail(envName, `an integer from ${min} to ${max}`, value);
    }
    return parsed;
  }

  // a thread count, or `auto`: decided at start-up from the cores (resolveAutoSseWorkers)
  function readSseWorkers(): number | 'auto' {
    const value = read('SSE_WORKERS');
    if (value === undefined) return 0;
    if (value.toLowerCase() === 'auto') return 'auto';
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed > 64) {
      fail('SSE_WORKERS', 'an integer from 0 to 64, or auto', value);
    }
    return parsed;
  }

  function readBoolean(envName: string, fallback: boolean): boolean {
    const value = read(envName);
    if (value === undefined) return fallback;
    if (TRUE_WORDS.has(value.toLowerCase())) return true;
    if (FALSE_WORDS.has(value.toLowerCase())) return false;
    return fail(envName, 'true or false', value);
  }

  function readEnum<T extends string>(envName: string, allowed: readonly T[], fallback: T): T {
    const value = read(envName)?.toLowerCase();
    if (value === undefined) return fallback;
    const match = allowed.find((candidate) => candidate === value);
    return match ?? fail(envName, `one of ${allowed.join(', ')}`, value);
  }

  function readUrl(envName: string): string | undefined {
    const value = read(envName);
    if (value === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return fail(envName, 'an absolute http(s) URL', value);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      fail(envName, 'an absolute http(s) URL', value);
    }
    return value.replace(/\/+$/, '');
  }

  function readList(envName: string): string[] {
    return (read(envName) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  const host = read('HOST') ?? '127.0.0.1';
  // `name:key` names a client (usage per client); a bare key is the anonymous client
  const proxyClientNames: Record<string, string> = {};
  const proxyApiKeys = readList('PROXY_API_KEYS').map((entry) => {
    const separator = entry.indexOf(':');
    if (separator <= 0 || separator === entry.length - 1) return entry;
    const key = entry.slice(separator + 1);
    proxyClientNames[key] = entry.slice(0, separator);
    return key;
  });
  const redisUrl = read('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/i.test(redisUrl)) {
    throw new ProxyConfigError({
      setting: 'REDIS_URL',
      message: 'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0',
    });
  }
  const redisPassword = read('REDIS_PASSWORD');
  const allowNonLoopbackWithoutKeys = readBoolean('ALLOW_NON_LOOPBACK_WITHOUT_KEYS', false);
  if (!isLoopbackHost(host) && proxyApiKeys.length === 0 && !allowNonLoopbackWithoutKeys) {
    throw new ProxyConfigError({
      setting: 'HOST',
      message: `Refusing to listen on non-loopback HOST=${host} without PROXY_API_KEYS: anyone on the network could use your Qwen account. Set PROXY_API_KEYS, or pass --allow-insecure-bind (ALLOW_NON_LOOPBACK_WITHOUT_KEYS=true) if you really mean it.`,
    });
  }

  const corsOrigins = readList('CORS_ORIGINS');
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/]+$/i.test(origin)) {
      fail(
        'CORS_ORIGINS',
        'comma-separated origins like https://app.example.com (no path), or *',
        origin,
      );
    }
  }

  const allowedHosts = readList('ALLOWED_HOSTS').map((name) => name.toLowerCase());
  for (const name of allowedHosts) {
    if (name !== '*' && !HOST_NAME_PATTERN.test(name)) {
      fail(
        'ALLOWED_HOSTS',
        'comma-separated host names or addresses like proxy.example.com or [fd00::1] (no scheme, port or path), or *',
        name,
      );
    }
  }

  const apiBaseUrl = readUrl('QWEN_API_BASE_URL');
  const apiKey = read('QWEN_API_KEY');
  const qwenDir = read('QWEN_DIR');
  const modelAliasesText = read('MODEL_ALIASES');
  const modelAliases =
    modelAliasesText === undefined
      ? undefined
      : (parseModelAliases(modelAliasesText) ??
        fail(
          'MODEL_ALIASES',
          'comma-separated name=upstream-name pairs, or none',
          modelAliasesText,
        ));
  const resolvedQwenDir =
    qwenDir === undefined ? join(homedir(), '.qwen') : qwenDir.replace(/^~(?=$|[/\\])/, homedir());
  const accountsFile = loadAccountsFile({
    configuredPath: read('QWEN_RELAY_ACCOUNTS'),
    // `apiKeyEnv` names a variable of the environment or of the env file the user named
    env: { ...envFile?.values, ...env },
    qwenDir: resolvedQwenDir,
  });
  const accounts = [...(accountsFile?.accounts ?? [])];
  if (apiKey !== undefined) {
    const envAccount = createEnvAccountConfig({ apiKey, apiBaseUrl });
    const clash = accounts.find((account) => account.id === envAccount.id);
    if (clash !== undefined) {
      throw new ProxyConfigError({
        setting: 'QWEN_API_KEY',
        message: `QWEN_API_KEY configures the account "${envAccount.id}", but ${clash.origin} uses that id too; rename the entry.`,
      });
    }
    accounts.unshift(envAccount);
  }
  // the standard OpenTelemetry variables: the traces URL wins over the base endpoint + /v1/traces
  const otlpTracesUrl =
    readUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ??
    (() => {
      const endpoint = readUrl('OTEL_EXPORTER_OTLP_ENDPOINT');
      return endpoint === undefined ? undefined : `${endpoint}/v1/traces`;
    })();
  const tracing =
    otlpTracesUrl === undefined || readBoolean('OTEL_SDK_DISABLED', false)
      ? undefined
      : { tracesUrl: otlpTracesUrl, serviceName: read('OTEL_SERVICE_NAME') ?? 'qwen-relay' };
  return {
    port: readInteger('PORT', { fallback: 8080, min: 0, max: 65_535 }),
    host,
    qwenDir: resolvedQwenDir,
    oauthBaseUrl: readUrl('QWEN_OAUTH_BASE_URL') ?? 'https://chat.qwen.ai',
    ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }),
    ...(apiKey === undefined ? {} : { apiKey }),
    proxyApiKeys,
    proxyClientNames,
    stateDir: (read('STATE_DIR') ?? join(homedir(), '.qwen-relay', 'state')).replace(
      /^~(?=$|[/\\])/,
      homedir(),
    ),
    ...(redisUrl === undefined
      ? {}
      : {
          redis: {
            url: redisUrl,
            ...(redisPassword === undefined ? {} : { password: redisPassword }),
            keyPrefix: read('REDIS_KEY_PREFIX') ?? 'qwen-relay:',
            leaseInMs: readInteger('REDIS_LEASE_MS', { fallback: 45_000, min: 1_000 }),
          },
        }),
    responsesStore: {
      ttlInMs: readInteger('RESPONSES_STORE_TTL_MS', { fallback: 3_600_000, min: 0 }),
      maxResponseBytes: readInteger('RESPONSES_STORE_MAX_BYTES', {
        fallback: 1024 * 1024,
        min: 1_024,
      }),
      maxEntries: readInteger('RESPONSES_STORE_MAX_ENTRIES', { fallback: 256, min: 1 }),
    },
    logLevel: readEnum('LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: readEnum('LOG_FORMAT', LOG_FORMATS, 'pretty'),
    timeouts: {
      connectInMs: readInteger('CONNECT_TIMEOUT_MS', { fallback: 10_000, min: 1 }),
      headersInMs: readInteger('HEADERS_TIMEOUT_MS', { fallback: 300_000, min: 1 }),
      idleInMs: readInteger('IDLE_TIMEOUT_MS', { fallback: 120_000, min: 1 }),
      totalInMs: readInteger('TOTAL_TIMEOUT_MS', { fallback: 1_800_000, min: 1 }),
    },
    upstreamConnections: readInteger('UPSTREAM_CONNECTIONS', { fallback: 1_024, min: 1 }),
    retry: {
      maxRetries: readInteger('MAX_RETRIES', { fallback: 5, min: 0, max: 20 }),
      baseDelayInMs: readInteger('RETRY_BASE_DELAY_MS', { fallback: 1_000, min: 0 }),
      maxDelayInMs: readInteger('RETRY_MAX_DELAY_MS', { fallback: 30_000, min: 0 }),
      maxRetryAfterInMs: readInteger('RETRY_AFTER_MAX_MS', { fallback: 60_000, min: 0 }),
      deadlineInMs: readInteger('RETRY_DEADLINE_MS', { fallback: 120_000, min: 0 }),
    },
    refreshBufferInMs: readInteger('REFRESH_BUFFER_MS', { fallback: 30_000, min: 0 }),
    lockStaleInMs: readInteger('LOCK_STALE_MS', { fallback: 35_000, min: 1_000 }),
    quotaCooldownInMs: readInteger('QUOTA_COOLDOWN_MS', { fallback: 60_000, min: 0 }),
    credentialsCheckIntervalInMs: readInteger('CREDENTIALS_CHECK_INTERVAL_MS', {
      fallback: 5_000,
      min: 50,
    }),
    bodyLimitInBytes: readInteger('BODY_LIMIT_BYTES', { fallback: 32 * 1024 * 1024, min: 1 }),
    sseWorkers: readSseWorkers(),
    corsOrigins,
    allowedHosts,
    allowNonLoopbackWithoutKeys,
    shutdownGraceInMs: readInteger('SHUTDOWN_GRACE_MS', { fallback: 10_000, min: 0 }),
    streamFallback: readBoolean('STREAM_FALLBACK', true),
    clusterMirrorCredentials: readBoolean('CLUSTER_MIRROR_CREDENTIALS', false),
    ...(modelAliases === undefined ? {} : { modelAliases }),
    portalQuirks: readBoolean('PORTAL_QUIRKS', false),
    accounts,
    ...(accountsFile === undefined
      ? {}
      : { accountsFile: { path: accountsFile.path, warnings: accountsFile.warnings } }),
    ...(tracing === undefined ? {} : { tracing }),
    settingSources,
    ...(ignoredPath === undefined ? {} : { ignoredEnvFile: ignoredPath }),
  };
}
