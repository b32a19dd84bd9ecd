/** Bounds of the transient-failure retry of refreshes. */
export interface RefreshRetryPolicy {
  /** total attempts including the first (default 5) */
  maxAttempts: number;
  /** delay before the second attempt, doubled each time (default 500) */
  baseDelayInMs: number;
  /** cap of a single delay, also of an honoured Retry-After (default 8_000) */
  maxDelayInMs: number;
  /** no new attempt starts after this much time since the first one (default 30_000) */
  totalTimeoutInMs: number;
}

/** Defaults: 5 attempts within 30 s, 0.5 s → 8 s. */
export const DEFAULT_REFRESH_RETRY_POLICY: RefreshRetryPolicy = {
  maxAttempts: 5,
  baseDelayInMs: 500,
  maxDelayInMs: 8_000,
  totalTimeoutInMs: 30_000,
};

/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, half random,
 * so processes that failed together do not retry in lockstep. A server's Retry-After wins
 * when larger, within the cap.
 */
export function computeRetryDelayInMs({
  attempt,
  policy,
  retryAfterInMs,
  random = Math.random,
}: {
  /** the attempt that just failed, 1-based */
  attempt: number;
  policy: RefreshRetryPolicy;
  retryAfterInMs?: number;
  random?: () => number;
}): number {
  const exponentialInMs = Math.min(policy.maxDelayInMs, policy.baseDelayInMs * 2 ** (attempt - 1));
  const jitteredInMs = exponentialInMs / 2 + random() * (exponentialInMs / 2);
  const floorInMs = Math.min(retryAfterInMs ?? 0, policy.maxDelayInMs);
  return Math.round(Math.max(jitteredInMs, floorInMs));
}
