import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokenStore } from './token-store';

describe('createTokenStore', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('expires access tokens exactly at expiresAtInMs on the given clock', () => {
    const store = createTokenStore({ now: Date.now });
    const pair = store.issuePair(10);
    expect(pair.accessToken).toMatch(/^qat_[A-Za-z0-9_-]{32}$/);
    expect(pair.refreshToken).toMatch(/^qrt_/);
    expect(pair.expiresAtInMs).toBe(1_010_000);
    vi.advanceTimersByTime(9_999);
    expect(store.checkAccessToken(pair.accessToken)).toBe('valid');
    vi.advanceTimersByTime(1);
    expect(store.checkAccessToken(pair.accessToken)).toBe('expired');
    expect(store.checkAccessToken('qat_other')).toBe('unknown');
  });

  it('rotates refresh tokens once', () => {
    const store = createTokenStore({ now: Date.now });
    const pair = store.issuePair(10);
    const next = store.rotate({ refreshToken: pair.refreshToken, expiresInSeconds: 20 });
    expect(next?.expiresInSeconds).toBe(20);
    expect(store.rotate({ refreshToken: pair.refreshToken, expiresInSeconds: 20 })).toBeUndefined();
    expect(store.isRefreshTokenValid(next!.refreshToken)).toBe(true);
    // the old access token is still good until it expires
    expect(store.checkAccessToken(pair.accessToken)).toBe('valid');
  });
});
