/** Kind of value a setting takes, used for flag parsing and the help text. */
export type SettingKind = 'string' | 'integer' | 'boolean' | 'list' | 'url' | 'enum';

/** One configuration setting: an environment variable and its `--kebab-case` flag. */
export interface SettingDefinition {
  envName: string;
  kind: SettingKind;
  defaultText: string;
  description: string;
  /** extra flag names accepted besides the kebab-case of `envName` */
  flagAliases?: readonly string[];
}

/** Every setting of the proxy: docs/design.md §6 first, then the proxy's own. */
export const SETTING_DEFINITIONS: readonly SettingDefinition[] = [
  {
    envName: 'PORT',
    kind: 'integer',
    defaultText: '8080',
    description: 'listen port (0 picks a free one)',
  },
  {
    envName: 'HOST',
    kind: 'string',
    defaultText: '127.0.0.1',
    description: 'listen address (loopback by default)',
  },
  {
    envName: 'QWEN_DIR',
    kind: 'string',
    defaultText: '~/.qwen',
    description: 'where credentials and the lock live',
  },
  {
    envName: 'QWEN_OAUTH_BASE_URL',
    kind: 'url',
    defaultText: 'https://chat.qwen.ai',
    description: 'OAuth device and token endpoints',
  },
  {
    envName: 'QWEN_API_BASE_URL',
    kind: 'url',
    defaultText: 'from resource_url, else DashScope compatible-mode',
    description: 'chat base URL override',
  },
  {
    envName: 'QWEN_API_KEY',
    kind: 'string',
    defaultText: 'unset',
    description: 'use a static API key instead of OAuth',
  },
  {
    envName: 'QWEN_RELAY_ACCOUNTS',
    kind: 'string',
    defaultText: '~/.qwen-relay/accounts.json if present',
    description:
      'accounts file: Coding Plan, Token Plan, pay-as-you-go keys and OAuth files (never read from .env)',
  },
  {
    envName: 'PROXY_API_KEYS',
    kind: 'list',
    defaultText: 'unset',
    description:
      'comma-separated keys clients must present (Bearer or x-api-key); `name:key` names the client for usage counts',
  },
  {
    envName: 'STATE_DIR',
    kind: 'string',
    defaultText: '~/.qwen-relay/state',
    description:
      'where quota windows, cooldowns, session affinity and usage counters are kept (file store)',
  },
  {
    envName: 'REDIS_URL',
    kind: 'string',
    defaultText: 'unset',
    description:
      'cluster mode: keep that state and the OAuth credentials on Redis (redis:// or rediss://)',
  },
  {
    envName: 'REDIS_PASSWORD',
    kind: 'string',
    defaultText: 'unset',
    description: 'Redis password when REDIS_URL carries none',
  },
  {
    envName: 'REDIS_KEY_PREFIX',
    kind: 'string',
    defaultText: 'qwen-relay:',
    description: 'prefix of every Redis key, so several deployments can share one Redis',
  },
  {
    envName: 'REDIS_LEASE_MS',
    kind: 'integer',
    defaultText: '45000',
    description: 'cluster refresh lease per account (longer than a token call)',
  },
  {
    envName: 'RESPONSES_STORE_TTL_MS',
    kind: 'integer',
    defaultText: '3600000',
    description:
      '/v1/responses `store: true`: how long a response stays readable for `previous_response_id` and GET /v1/responses/{id}; 0 turns both off (400)',
  },
  {
    envName: 'RESPONSES_STORE_MAX_BYTES',
    kind: 'integer',
    defaultText: '1048576',
    description:
      'largest stored response, its conversation included (a larger one is answered but not kept)',
  },
  {
    envName: 'RESPONSES_STORE_MAX_ENTRIES',
    kind: 'integer',
    defaultText: '256',
    description: 'most responses kept at once; the oldest are dropped first',
  },
  {
    envName: 'LOG_LEVEL',
    kind: 'enum',
    defaultText: 'info',
    description: 'debug, info, warn, error or silent',
  },
  {
    envName: 'LOG_FORMAT',
    kind: 'enum',
    defaultText: 'pretty',
    description: 'pretty or json (structured lines)',
  },
  {
    envName: 'QWEN_RELAY_ENV_FILE',
    kind: 'string',
    defaultText: '~/.qwen-relay/.env if present',
    description:
      "the .env file settings are read from (never the working directory's); the real environment and flags win over it",
    flagAliases: ['env-file'],
  },
  {
    envName: 'CONNECT_TIMEOUT_MS',
    kind: 'integer',
    defaultText: '10000',
    description: 'upstream TCP/TLS connect limit',
  },
  {
    envName: 'HEADERS_TIMEOUT_MS',
    kind: 'integer',
    defaultText: '300000',
    description: 'time to the upstream response headers (first byte)',
  },
  {
    envName: 'IDLE_TIMEOUT_MS',
    kind: 'integer',
    defaultText: '120000',
    description: 'longest gap between upstream chunks',
  },
  {
    envName: 'TOTAL_TIMEOUT_MS',
    kind: 'integer',
    defaultText: '1800000',
    description: 'whole upstream request limit',
  },
  {
    envName: 'UPSTREAM_CONNECTIONS',
    kind: 'integer',
    defaultText: '1024',
    description:
      'most sockets to one upstream origin; each stream holds one for its whole life, requests beyond wait',
  },
  {
    envName: 'MAX_RETRIES',
    kind: 'integer',
    defaultText: '5',
    description: 'upstream retries per request after the first attempt, all reasons together',
  },
  {
    envName: 'RETRY_BASE_DELAY_MS',
    kind: 'integer',
    defaultText: '1000',
    description: 'first backoff delay (grows ×2, jittered)',
  },
  {
    envName: 'RETRY_MAX_DELAY_MS',
    kind: 'integer',
    defaultText: '30000',
    description: 'cap of one backoff delay',
  },
  {
    envName: 'RETRY_AFTER_MAX_MS',
    kind: 'integer',
    defaultText: '60000',
    description: 'an upstream Retry-After is waited for up to this long (capped)',
  },
  {
    envName: 'RETRY_DEADLINE_MS',
    kind: 'integer',
    defaultText: '120000',
    description: 'no retry starts after this long since the request arrived',
  },
  {
    envName: 'QUOTA_COOLDOWN_MS',
    kind: 'integer',
    defaultText: '60000',
    description:
      'an account out of quota (no Retry-After) rests this long, doubling on repeats up to 1 h',
  },
  {
    envName: 'REFRESH_BUFFER_MS',
    kind: 'integer',
    defaultText: '30000',
    description: 'a token is refreshed when it has less than this left',
  },
  {
    envName: 'CREDENTIALS_CHECK_INTERVAL_MS',
    kind: 'integer',
    defaultText: '5000',
    description:
      'how often credentials files are re-checked for changes by other programs, and QWEN_DIR for added or removed accounts',
  },
  {
    envName: 'LOCK_STALE_MS',
    kind: 'integer',
    defaultText: '35000',
    description:
      "a credentials lock (oauth_creds.lock) untouched this long is stale and taken over; qwen-code 0.24 uses 35 s (10 s before). Lock waits last this + 35 s (qwen-code's token call may take 30 s)",
  },
  {
    envName: 'BODY_LIMIT_BYTES',
    kind: 'integer',
    defaultText: '33554432',
    description: 'largest request body (32 MiB)',
  },
  {
    envName: 'SSE_WORKERS',
    kind: 'string',
    defaultText: '0',
    description:
      'piscina threads for the SSE transform; 0 runs it inline on the main thread; auto chooses from the cores and the size of each read',
  },
  {
    envName: 'CORS_ORIGINS',
    kind: 'list',
    defaultText: 'unset (CORS off)',
    description: 'comma-separated allowed origins, or * for any',
  },
  {
    envName: 'ALLOWED_HOSTS',
    kind: 'list',
    defaultText: 'loopback names',
    description:
      'comma-separated extra Host names accepted besides localhost, 127.0.0.0/8 and [::1] (e.g. behind a reverse proxy), or * for any',
  },
  {
    envName: 'ALLOW_NON_LOOPBACK_WITHOUT_KEYS',
    kind: 'boolean',
    defaultText: 'false',
    description: 'allow a non-loopback HOST without PROXY_API_KEYS',
    flagAliases: ['allow-insecure-bind'],
  },
  {
    envName: 'SHUTDOWN_GRACE_MS',
    kind: 'integer',
    defaultText: '10000',
    description: 'on SIGINT/SIGTERM, how long in-flight requests may finish',
  },
  {
    envName: 'CLUSTER_MIRROR_CREDENTIALS',
    kind: 'boolean',
    defaultText: 'false',
    description:
      'cluster mode: write each new OAuth pair to QWEN_DIR too, for qwen-code on the same host (read-only use)',
  },
  {
    envName: 'STREAM_FALLBACK',
    kind: 'boolean',
    defaultText: 'true',
    description: 'on a streaming 504 before any byte, retry non-streaming and re-emit as SSE',
  },
  {
    envName: 'MODEL_ALIASES',
    kind: 'string',
    defaultText: 'portal aliases (OAuth), none (API key)',
    description:
      'client-name=upstream-name pairs, comma-separated, replacing the default table; `none` for no aliases',
  },
  {
    envName: 'PORTAL_QUIRKS',
    kind: 'boolean',
    defaultText: 'false',
    description:
      'send system content as a cache-controlled array and flatten text-only user arrays (portal.qwen.ai payload quirks)',
  },
  {
    envName: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    kind: 'url',
    defaultText: 'unset (tracing off)',
    description: 'OTLP/HTTP collector base URL; traces go to <url>/v1/traces (turns tracing on)',
  },
  {
    envName: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    kind: 'url',
    defaultText: 'unset',
    description: 'full OTLP/HTTP traces URL, used as is (wins over OTEL_EXPORTER_OTLP_ENDPOINT)',
  },
  {
    envName: 'OTEL_SERVICE_NAME',
    kind: 'string',
    defaultText: 'qwen-relay',
    description: 'service.name of the spans',
  },
  {
    envName: 'OTEL_SDK_DISABLED',
    kind: 'boolean',
    defaultText: 'false',
    description: 'true turns tracing off even with an endpoint set',
  },
];

/** `PROXY_API_KEYS` → `proxy-api-keys`. */
export function convertEnvNameToFlagName(envName: string): string {
  return envName.toLowerCase().replaceAll('_', '-');
}
