/**
 * qwen-code 0.24 (2026-09) treats a lock whose mtime is older than 35 s as stale (10 s before
 * it); our default follows the newer rule so we never take over a lock qwen-code still honours.
 */
export const DEFAULT_LOCK_STALE_AFTER_IN_MS = 35_000;

/** qwen-code's token call may take this long while it holds the lock. */
export const QWEN_CODE_TOKEN_CALL_ALLOWANCE_IN_MS = 30_000;

/** Timing of the qwen-code compatible file lock; defaults match qwen-code's SharedTokenManager. */
export interface FileLockOptions {
  /** a lock whose mtime is older than this is stale and may be taken over (default 35_000) */
  staleAfterInMs?: number;
  /**
   * how long to wait for a held lock before LockTimeoutError; default staleness + 30 s (the
   * longest qwen-code token call) + 5 s, so a lock left by a crashed process turns stale and a
   * live qwen-code finishes its slowest refresh before we give up
   */
  maxWaitInMs?: number;
  /** create attempts before giving up with LockTimeoutError (default: bounded by maxWaitInMs only) */
  maxAttempts?: number;
  /** first wait after EEXIST (default 100), grows ×1.5 */
  initialDelayInMs?: number;
  /** cap of the wait between attempts (default 2_000) */
  maxDelayInMs?: number;
  /** how often a held lock's mtime is refreshed while work runs (default 3_000) */
  heartbeatIntervalInMs?: number;
}

/** {@link FileLockOptions} with every default applied. */
export type ResolvedFileLockOptions = Required<FileLockOptions>;

/** Applies qwen-code's defaults to partial lock options. */
export function resolveFileLockOptions(options: FileLockOptions = {}): ResolvedFileLockOptions {
  const staleAfterInMs = options.staleAfterInMs ?? DEFAULT_LOCK_STALE_AFTER_IN_MS;
  return {
    staleAfterInMs,
    maxWaitInMs:
      options.maxWaitInMs ?? staleAfterInMs + QWEN_CODE_TOKEN_CALL_ALLOWANCE_IN_MS + 5_000,
    maxAttempts: options.maxAttempts ?? Number.POSITIVE_INFINITY,
    initialDelayInMs: options.initialDelayInMs ?? 100,
    maxDelayInMs: options.maxDelayInMs ?? 2_000,
    heartbeatIntervalInMs: options.heartbeatIntervalInMs ?? 3_000,
  };
}
