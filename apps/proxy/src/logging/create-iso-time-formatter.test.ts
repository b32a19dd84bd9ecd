import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIsoTimeFormatter } from './create-iso-time-formatter';

describe('createIsoTimeFormatter', () => {
  it('gives the text of toISOString for any valid date, in any order of calls', () => {
    const format = createIsoTimeFormatter();
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -8.64e15, max: 8.64e15 }),
            // runs of times within one second, as log lines arrive
            fc.integer({ min: 1_780_000_000_000, max: 1_780_000_002_000 }),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        (times) => {
          for (const timeInMs of times) {
            const date = new Date(timeInMs);
            expect(format(date)).toBe(date.toISOString());
          }
        },
      ),
    );
  });

  it('keeps the milliseconds of consecutive times in one second', () => {
    const format = createIsoTimeFormatter();
    expect(format(new Date('2026-12-01T22:14:05.000Z'))).toBe('2026-12-01T22:14:05.000Z');
    expect(format(new Date('2026-12-01T22:14:05.007Z'))).toBe('2026-12-01T22:14:05.007Z');
    expect(format(new Date('2026-12-01T22:14:05.070Z'))).toBe('2026-12-01T22:14:05.070Z');
    expect(format(new Date('2026-12-01T22:14:05.999Z'))).toBe('2026-12-01T22:14:05.999Z');
    expect(format(new Date('2026-12-01T22:14:06.000Z'))).toBe('2026-12-01T22:14:06.000Z');
    expect(format(new Date('1969-12-31T23:59:59.001Z'))).toBe('1969-12-31T23:59:59.001Z');
  });

  it('throws on an invalid date like toISOString', () => {
    expect(() => createIsoTimeFormatter()(new Date(Number.NaN))).toThrow(RangeError);
  });
});
