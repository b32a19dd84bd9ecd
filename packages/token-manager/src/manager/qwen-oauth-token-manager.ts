import type {
  InvalidationReason,
  TokenManagerEvent,
  TokenSource,
  UpstreamToken,
} from '@qwen-relay/contracts';
import type { Dispatcher } from 'undici';
import type { FileLockOptions } from '../lock/lock-options';
import type { RefreshRetryPolicy } from '../retry/refresh-retry-policy';
import type { AccountStatus } from '../types';

/** Options of `createQwenOAuthTokenManager`. */
export interface QwenOAuthTokenManagerOptions {
  /** 'default' for oauth_creds.json, else the account name */
  accountId: string;
  /** `<qwenDir>/oauth_creds.json` or `oauth_creds_<name>.json` */
  credentialsPath: string;
  /** default: credentialsPath with `.json` → `.lock` */
  lockPath?: string;
  /** default https://chat.qwen.ai (`QWEN_OAUTH_BASE_URL`) */
  oauthBaseUrl?: string;
  dispatcher?: Dispatcher;
  /** a token is handed out only while `now < expiry - buffer` (default 30_000) */
  refreshBufferInMs?: number;
  /**
   * a token obtained by our refresh (or adopted under the lock) ignores 'suspected-expiry' for
   * this long, and so does any token within this long after such a refresh; a token of unknown
   * age (loaded at start or from a file change) may be refreshed by one suspicion (default 60_000)
   */
  minimumTokenAgeForSuspicionInMs?: number;
  /**
   * after a refresh flight fails transiently, callers get that error at once (with
   * `retryAfterInMs`) for this long instead of calling the token endpoint again; not jittered;
   * a larger Retry-After of the token endpoint (up to 5 min) wins; 0 disables (default 15_000)
   */
  refreshCoolOffInMs?: number;
  /** refresh ahead of expiry on an unref'd timer (default true) */
  proactiveRefresh?: boolean;
  /** proactive refresh starts up to this much (random, at most a fifth of the time left) before the buffer (default 60_000) */
  proactiveRefreshJitterInMs?: number;
  /** mtime re-stat throttle and watch interval (default 5_000) */
  fileCheckIntervalInMs?: number;
  /** per token-endpoint call (default 30_000) */
  refreshTimeoutInMs?: number;
  /** transient-failure retry bounds */
  refreshRetry?: Partial<RefreshRetryPolicy>;
  /** qwen-code lock timing (defaults match qwen-code 0.24: stale after 35 s) */
  lock?: FileLockOptions;
  /**
   * adopt a leftover temp file of an interrupted write (newer than the file, parses) at start
   * and under the lock before each refresh, keeping the old file as `<file>.bak-<time>`
   * (default true; `auth status` turns it off to stay read-only)
   */
  recoverInterruptedWrites?: boolean;
  /** backoff of the retried write after a failed one: ×2 from initial up to max (default 1_000, 60_000) */
  persistRetry?: { initialDelayInMs?: number; maxDelayInMs?: number };
  /** token clock, epoch ms (default Date.now); file mtimes always use the wall clock */
  now?: () => number;
  onEvent?: (event: TokenManagerEvent) => void;
}

/** A Qwen OAuth account: a TokenSource plus lifecycle and status. */
export interface QwenOAuthTokenManager extends TokenSource {
  readonly accountId: string;
  /** loads the file, schedules proactive refresh, starts watching; never throws for file problems */
  start(): Promise<void>;
  getAccessToken(options?: { signal?: AbortSignal }): Promise<UpstreamToken>;
  peekAccessToken(): UpstreamToken | undefined;
  invalidate(token: UpstreamToken, reason: InvalidationReason): Promise<UpstreamToken>;
  /** on-demand refresh (CLI `auth refresh`); without force only when the token is not usable */
  refresh(options?: { force?: boolean; signal?: AbortSignal }): Promise<UpstreamToken>;
  getStatus(): AccountStatus;
  /** stops timers and the watcher, stops lock waits and backoff, lets a token call in progress finish and persist, releases the lock */
  close(): Promise<void>;
}
