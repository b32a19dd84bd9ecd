import type { FileLockOptions } from '@qwen-relay/token-manager';

/**
 * The lock staleness the proxy uses, from `LOCK_STALE_MS` (milliseconds, at least 1000), so the
 * CLI and `serve` agree on when a lock is stale; token-manager's default (35 s, qwen-code 0.24)
 * otherwise.
 */
export function readLockOptions(env: NodeJS.ProcessEnv): FileLockOptions {
  const value = Number(env.LOCK_STALE_MS);
  return Number.isInteger(value) && value >= 1_000 ? { staleAfterInMs: value } : {};
}
