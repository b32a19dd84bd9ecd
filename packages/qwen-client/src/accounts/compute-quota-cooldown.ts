/**
 * How long an account cools down after its `consecutiveFailures`-th quota failure in a row when
 * upstream gave no Retry-After: `baseInMs`, doubled per further failure, capped at `maxInMs`.
 *
 * "Free allocated quota exceeded" is either a per-minute throttle or the daily cap
 * (docs/qwen-upstream.md §3.2), so the first cooldown is short and only a repeated failure makes it
 * longer.
 */
export function computeQuotaCooldownInMs({
  consecutiveFailures,
  baseInMs,
  maxInMs,
}: {
  consecutiveFailures: number;
  baseInMs: number;
  maxInMs: number;
}): number {
  const doublings = Math.max(0, consecutiveFailures - 1);
  // 2 ** 1100 is Infinity: Math.min still answers maxInMs
  return Math.max(0, Math.min(maxInMs, baseInMs * 2 ** doublings));
}
