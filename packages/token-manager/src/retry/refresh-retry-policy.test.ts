import { describe, expect, it } from 'vitest';
import { computeRetryDelayInMs, DEFAULT_REFRESH_RETRY_POLICY } from './refresh-retry-policy';

const policy = { ...DEFAULT_REFRESH_RETRY_POLICY, baseDelayInMs: 100, maxDelayInMs: 1_000 };

describe('computeRetryDelayInMs', () => {
  it('grows exponentially with half of each delay jittered', () => {
    expect(computeRetryDelayInMs({ attempt: 1, policy, random: () => 0 })).toBe(50);
    expect(computeRetryDelayInMs({ attempt: 1, policy, random: () => 1 })).toBe(100);
    expect(computeRetryDelayInMs({ attempt: 3, policy, random: () => 0 })).toBe(200);
    expect(computeRetryDelayInMs({ attempt: 3, policy, random: () => 0.5 })).toBe(300);
  });

  it('caps at maxDelayInMs', () => {
    expect(computeRetryDelayInMs({ attempt: 20, policy, random: () => 1 })).toBe(1_000);
  });

  it('honours Retry-After when larger, within the cap', () => {
    expect(
      computeRetryDelayInMs({ attempt: 1, policy, retryAfterInMs: 700, random: () => 0 }),
    ).toBe(700);
    expect(
      computeRetryDelayInMs({ attempt: 1, policy, retryAfterInMs: 60_000, random: () => 0 }),
    ).toBe(1_000);
  });
});
