import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatLocalTime } from './format-local-time';

describe('formatLocalTime', () => {
  let savedTimeZone: string | undefined;
  beforeEach(() => {
    savedTimeZone = process.env.TZ;
  });
  afterEach(() => {
    if (savedTimeZone === undefined) delete process.env.TZ;
    else process.env.TZ = savedTimeZone;
  });

  it('formats in UTC with the offset', () => {
    process.env.TZ = 'UTC';
    expect(formatLocalTime(Date.UTC(2026, 10, 22, 3, 4, 5))).toBe(
      '2026-11-22 03:04:05 (UTC+00:00)',
    );
  });

  it('uses the local zone and a negative offset', () => {
    process.env.TZ = 'America/New_York';
    expect(formatLocalTime(Date.UTC(2026, 10, 22, 3, 4, 5))).toBe(
      '2026-11-21 22:04:05 (UTC-05:00)',
    );
  });
});
