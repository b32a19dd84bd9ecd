import { describe, expect, it } from 'vitest';
import { parseRetryAfterInMs } from './parse-retry-after';

describe('parseRetryAfterInMs', () => {
  const now = () => Date.parse('2026-01-01T00:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfterInMs({ headers: { 'retry-after': '2' } })).toBe(2000);
    expect(parseRetryAfterInMs({ headers: { 'retry-after': '0.5' } })).toBe(500);
  });

  it('reads an HTTP-date relative to now, never negative', () => {
    expect(
      parseRetryAfterInMs({ headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now }),
    ).toBe(30_000);
    expect(
      parseRetryAfterInMs({ headers: { 'retry-after': 'Wed, 31 Dec 2025 00:00:00 GMT' }, now }),
    ).toBe(0);
  });

  it('prefers retry-after-ms', () => {
    expect(parseRetryAfterInMs({ headers: { 'retry-after-ms': '150', 'retry-after': '9' } })).toBe(
      150,
    );
  });

  it('ignores absent or garbage values', () => {
    expect(parseRetryAfterInMs({ headers: {} })).toBeUndefined();
    expect(parseRetryAfterInMs({ headers: { 'retry-after': 'soon' } })).toBeUndefined();
    expect(parseRetryAfterInMs({ headers: { 'retry-after-ms': '-1' } })).toBeUndefined();
  });
});
