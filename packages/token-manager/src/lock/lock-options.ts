/** Timing of the qwen-code compatible file lock; defaults match qwen-code's SharedTokenManager. */
export interface FileLockOptions {
  /** a lock whose mtime is older than this is stale and may be taken over (default 10_000) */
  staleAfterInMs?: number;
  /** create attempts before giving up with LockTimeoutError (default 20) */
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
  return {
    staleAfterInMs: options.staleAfterInMs ?? 10_000,
    maxAttempts: options.maxAttempts ?? 20,
    initialDelayInMs: options.initialDelayInMs ?? 100,
    maxDelayInMs: options.maxDelayInMs ?? 2_000,
    heartbeatIntervalInMs: options.heartbeatIntervalInMs ?? 3_000,
  };
}
