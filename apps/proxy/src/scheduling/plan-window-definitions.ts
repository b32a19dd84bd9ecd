/** The plan windows the proxy counts per account. */
export type PlanWindowName = '5h' | '7d' | '30d';

/** Request limits per window (`"limits"` of an account; a window without a limit is only counted). */
export type PlanWindowLimits = Partial<Record<PlanWindowName, number>>;

/** Coding Plan tiers and their request limits (docs/plans-and-protocols.md, Coding Plan quotas). */
export const codingPlanTierLimits = {
  lite: { '5h': 1_200, '7d': 9_000, '30d': 18_000 },
  pro: { '5h': 6_000, '7d': 45_000, '30d': 90_000 },
} as const satisfies Record<string, Required<PlanWindowLimits>>;

/** A Coding Plan tier name. */
export type CodingPlanTier = keyof typeof codingPlanTierLimits;

const HOUR_IN_MS = 3_600_000;
const DAY_IN_MS = 24 * HOUR_IN_MS;
// Alibaba resets the weekly window at Monday 00:00 UTC+8
const UTC_PLUS_8_IN_MS = 8 * HOUR_IN_MS;
// 1970-01-05 was a Monday
const FIRST_MONDAY_IN_MS = 4 * DAY_IN_MS;

/**
 * How one window is counted. `sliding` windows sum buckets of `bucketInMs` over the last
 * `lengthInMs` (the 5 h and 30 d windows: the upstream gives no fixed start for them);
 * `calendar-week` counts from the last Monday 00:00 UTC+8, when Alibaba resets the weekly quota.
 */
export type PlanWindowShape =
  | { kind: 'sliding'; lengthInMs: number; bucketInMs: number }
  | { kind: 'calendar-week' };

/** The shape of each window. */
export const planWindowShapes: Record<PlanWindowName, PlanWindowShape> = {
  '5h': { kind: 'sliding', lengthInMs: 5 * HOUR_IN_MS, bucketInMs: 10 * 60_000 },
  '7d': { kind: 'calendar-week' },
  '30d': { kind: 'sliding', lengthInMs: 30 * DAY_IN_MS, bucketInMs: DAY_IN_MS },
};

/** All window names, shortest first. */
export const planWindowNames: readonly PlanWindowName[] = ['5h', '7d', '30d'];

/** The start (epoch ms) of the calendar week containing `nowInMs` (Monday 00:00 UTC+8). */
export function startOfPlanWeekInMs(nowInMs: number): number {
  const week = 7 * DAY_IN_MS;
  const shifted = nowInMs + UTC_PLUS_8_IN_MS - FIRST_MONDAY_IN_MS;
  return nowInMs - (((shifted % week) + week) % week);
}

/** The start (epoch ms) of a window's newest bucket at `nowInMs`: the one a request counts in. */
export function newestWindowBucket({
  shape,
  nowInMs,
}: {
  shape: PlanWindowShape;
  nowInMs: number;
}): number {
  return shape.kind === 'calendar-week'
    ? startOfPlanWeekInMs(nowInMs)
    : nowInMs - (nowInMs % shape.bucketInMs);
}

/** The bucket starts (epoch ms) that make up a window at `nowInMs`, oldest first. */
export function listWindowBuckets({
  shape,
  nowInMs,
}: {
  shape: PlanWindowShape;
  nowInMs: number;
}): number[] {
  const current = newestWindowBucket({ shape, nowInMs });
  if (shape.kind === 'calendar-week') return [current];
  const count = Math.ceil(shape.lengthInMs / shape.bucketInMs);
  return Array.from(
    { length: count },
    (_, index) => current - (count - 1 - index) * shape.bucketInMs,
  );
}

/** How long a bucket's counter must live in the store (its window, plus one bucket of margin). */
export function bucketTtlInMs(shape: PlanWindowShape): number {
  return shape.kind === 'calendar-week' ? 8 * DAY_IN_MS : shape.lengthInMs + shape.bucketInMs;
}

/**
 * When a window frees capacity again. A calendar week resets at the next Monday 00:00 UTC+8;
 * a sliding window frees its oldest counted bucket when that bucket leaves the window.
 */
export function computeWindowResetInMs({
  shape,
  nowInMs,
  countsByBucket,
}: {
  shape: PlanWindowShape;
  nowInMs: number;
  countsByBucket: ReadonlyMap<number, number>;
}): number {
  if (shape.kind === 'calendar-week') return startOfPlanWeekInMs(nowInMs) + 7 * DAY_IN_MS;
  const buckets = listWindowBuckets({ shape, nowInMs });
  const oldest = buckets.find((start) => (countsByBucket.get(start) ?? 0) > 0) ?? buckets.at(-1)!;
  return oldest + shape.lengthInMs + shape.bucketInMs;
}

/**
 * The limits that apply to an account: `limits` overrides per window, on top of the tier's
 * (Coding Plan `lite` / `pro`). Without a tier or limits an account has no windows (it is
 * only counted): a wrong guess of the tier would stop a paying user early.
 */
export function resolvePlanWindowLimits({
  tier,
  limits,
}: {
  tier?: CodingPlanTier | undefined;
  limits?: PlanWindowLimits | undefined;
}): PlanWindowLimits {
  return { ...(tier === undefined ? {} : codingPlanTierLimits[tier]), ...(limits ?? {}) };
}
