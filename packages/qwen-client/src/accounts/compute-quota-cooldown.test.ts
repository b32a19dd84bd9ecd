import { describe, expect, it } from 'vitest';
import { computeQuotaCooldownInMs } from './compute-quota-cooldown';

describe('computeQuotaCooldownInMs', () => {
  it('starts at the base, doubles per consecutive failure and stops at the cap', () => {
    const durations = [1, 2, 3, 4, 5, 6, 7, 8].map((consecutiveFailures) =>
      computeQuotaCooldownInMs({ consecutiveFailures, baseInMs: 60_000, maxInMs: 3_600_000 }),
    );
    expect(durations).toEqual([
      60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
  });

  it('stays finite for absurd failure counts', () => {
    expect(
      computeQuotaCooldownInMs({ consecutiveFailures: 5_000, baseInMs: 1, maxInMs: 500 }),
    ).toBe(500);
  });
});
