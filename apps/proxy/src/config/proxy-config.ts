import type { AccountConfig } from '../accounts/account-config';

/** Log verbosity, most verbose first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Log line format. */
export type LogFormat = 'pretty' | 'json';

/** The proxy's complete, validated configuration (docs/design.md §6 plus the proxy's own settings). */
export interface ProxyConfig {
  port: number;
  host: string;
  qwenDir: string;
  oauthBaseUrl: string;
  apiBaseUrl?: string;
  apiKey?: string;
  /** the bare keys (names stripped) */
  proxyApiKeys: readonly string[];
  /** `name:key` entries of PROXY_API_KEYS: the client name of each key, for usage counts */
  proxyClientNames: Readonly<Record<string, string>>;
  /** the file store's directory (STATE_DIR) */
  stateDir: string;
  /** cluster mode (REDIS_URL): the state and OAuth credentials live on Redis */
  redis?: { url: string; password?: string; keyPrefix: string; leaseInMs: number };
  /**
   * responses kept for `store: true` / `previous_response_id` (on the state store); `ttlInMs` 0
   * turns them off, and both fields are then refused with a 400
   */
  responsesStore: { ttlInMs: number; maxResponseBytes: number; maxEntries: number };
  logLevel: LogLevel;
  logFormat: LogFormat;
  timeouts: { connectInMs: number; headersInMs: number; idleInMs: number; totalInMs: number };
  /** most sockets qwen-client opens to one upstream origin (a stream holds one until it ends) */
  upstreamConnections: number;
  retry: {
    maxRetries: number;
    baseDelayInMs: number;
    maxDelayInMs: number;
    maxRetryAfterInMs: number;
    deadlineInMs: number;
  };
  refreshBufferInMs: number;
  /** first quota cooldown of an account without Retry-After (qwen-client doubles it on repeats) */
  quotaCooldownInMs: number;
  credentialsCheckIntervalInMs: number;
  /** a credentials lock older than this is stale (qwen-code 0.24: 35 s); lock waits cover it plus a 30 s token call */
  lockStaleInMs: number;
  bodyLimitInBytes: number;
  /** piscina threads for the SSE transform (0: inline), or `auto` (resolveAutoSseWorkers) */
  sseWorkers: number | 'auto';
  /** empty: CORS off; `['*']`: any origin */
  corsOrigins: readonly string[];
  /** `Host` names accepted besides loopback ones (`ALLOWED_HOSTS`, lower case); `['*']`: any */
  allowedHosts: readonly string[];
  allowNonLoopbackWithoutKeys: boolean;
  shutdownGraceInMs: number;
  streamFallback: boolean;
  /** cluster mode: mirror each new OAuth pair to QWEN_DIR for qwen-code on this host */
  clusterMirrorCredentials: boolean;
  /** `MODEL_ALIASES` when set; otherwise chosen by auth mode (see resolveModelAliases) */
  modelAliases?: Readonly<Record<string, string>>;
  portalQuirks: boolean;
  /**
   * key-based and listed OAuth accounts: the QWEN_API_KEY shortcut, then the accounts file
   * (QWEN_RELAY_ACCOUNTS, or ~/.qwen-relay/accounts.json when it exists). Absent: derived from
   * `apiKey` alone. OAuth files discovered in `qwenDir` are added by the proxy at start-up.
   */
  accounts?: readonly AccountConfig[];
  /** the accounts file that was read, with what start-up should warn about */
  accountsFile?: { path: string; warnings: readonly string[] };
  /** OpenTelemetry traces over OTLP/HTTP; absent: tracing is off */
  tracing?: { tracesUrl: string; serviceName: string };
  /**
   * where each setting that was set came from: `flag`, `env`, or the path of the env file; for
   * the start-up log (names and sources only, never values)
   */
  settingSources?: Readonly<Record<string, string>>;
  /** a working-directory `.env` naming proxy settings that was not read (start-up warning) */
  ignoredEnvFile?: string;
}
