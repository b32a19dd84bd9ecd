import { describe, expect, it } from 'vitest';
import { isTokenUsable } from './is-token-usable';

describe('isTokenUsable', () => {
  const expiresAtInMs = 1_000_000;

  it('is usable strictly before expiry minus the 30 s default buffer', () => {
    expect(isTokenUsable({ expiresAtInMs, nowInMs: expiresAtInMs - 30_001 })).toBe(true);
    expect(isTokenUsable({ expiresAtInMs, nowInMs: expiresAtInMs - 30_000 })).toBe(false);
    expect(isTokenUsable({ expiresAtInMs, nowInMs: expiresAtInMs + 1 })).toBe(false);
  });

  it('honours a custom buffer', () => {
    const options = { expiresAtInMs, refreshBufferInMs: 0 };
    expect(isTokenUsable({ ...options, nowInMs: expiresAtInMs - 1 })).toBe(true);
    expect(isTokenUsable({ ...options, nowInMs: expiresAtInMs })).toBe(false);
  });

  it.each([undefined, null, Number.NaN, '2000000', Number.POSITIVE_INFINITY])(
    'treats expiry %j as expired',
    (value) => {
      expect(isTokenUsable({ expiresAtInMs: value, nowInMs: 0 })).toBe(false);
    },
  );
});
