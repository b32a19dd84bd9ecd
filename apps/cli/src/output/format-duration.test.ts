import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelativeTime } from './format-duration';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [250, '250 ms'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [42 * 60_000 + 59_000, '42 min'],
    [3 * 3_600_000, '3 h'],
    [3 * 3_600_000 + 5 * 60_000, '3 h 5 min'],
    [47 * 3_600_000, '47 h'],
    [50 * 3_600_000, '2 d 2 h'],
    [72 * 3_600_000, '3 d'],
  ])('%i ms → %s', (durationInMs, expected) => {
    expect(formatDuration(durationInMs)).toBe(expected);
  });
});

describe('formatRelativeTime', () => {
  const nowInMs = 1_800_000_000_000;
  it('says "in" for the future and "ago" for the past', () => {
    expect(formatRelativeTime({ atInMs: nowInMs + 42 * 60_000, nowInMs })).toBe('in 42 min');
    expect(formatRelativeTime({ atInMs: nowInMs - 90_000, nowInMs })).toBe('1 min ago');
  });
  it('says "now" within a second', () => {
    expect(formatRelativeTime({ atInMs: nowInMs + 400, nowInMs })).toBe('now');
  });
});
