import { describe, expect, it } from 'vitest';
import {
  computeWindowResetInMs,
  listWindowBuckets,
  planWindowShapes,
  resolvePlanWindowLimits,
  startOfPlanWeekInMs,
} from './plan-window-definitions';

describe('plan windows', () => {
  it('starts the week at Monday 00:00 UTC+8 (Sunday 16:00 UTC)', () => {
    // Wednesday 2026-12-02 10:00 UTC → Sunday 2026-11-29 16:00 UTC
    expect(new Date(startOfPlanWeekInMs(Date.UTC(2026, 11, 2, 10))).toISOString()).toBe(
      '2026-11-29T16:00:00.000Z',
    );
    // Sunday 2026-11-29 15:59 UTC is still the previous week
    expect(new Date(startOfPlanWeekInMs(Date.UTC(2026, 10, 29, 15, 59))).toISOString()).toBe(
      '2026-11-22T16:00:00.000Z',
    );
  });

  it('lists 30 ten-minute buckets for 5 h, ending with the current one', () => {
    const nowInMs = Date.UTC(2026, 11, 1, 12, 34, 56);
    const buckets = listWindowBuckets({ shape: planWindowShapes['5h'], nowInMs });
    expect(buckets).toHaveLength(30);
    expect(new Date(buckets.at(-1)!).toISOString()).toBe('2026-12-01T12:30:00.000Z');
    expect(new Date(buckets[0]!).toISOString()).toBe('2026-12-01T07:40:00.000Z');
  });

  it('resets a sliding window when its oldest counted bucket leaves it', () => {
    const nowInMs = Date.UTC(2026, 11, 1, 12, 34);
    const shape = planWindowShapes['5h'];
    const oldestUsed = Date.UTC(2026, 11, 1, 9, 0);
    const reset = computeWindowResetInMs({
      shape,
      nowInMs,
      countsByBucket: new Map([
        [oldestUsed, 3],
        [Date.UTC(2026, 11, 1, 12, 30), 5],
      ]),
    });
    expect(new Date(reset).toISOString()).toBe('2026-12-01T14:10:00.000Z');
  });

  it('takes tier limits, overridden per window by limits; no tier means no windows', () => {
    expect(resolvePlanWindowLimits({ tier: 'lite' })).toEqual({
      '5h': 1200,
      '7d': 9000,
      '30d': 18000,
    });
    expect(resolvePlanWindowLimits({ tier: 'pro', limits: { '5h': 100 } })).toEqual({
      '5h': 100,
      '7d': 45000,
      '30d': 90000,
    });
    expect(resolvePlanWindowLimits({})).toEqual({});
  });
});
