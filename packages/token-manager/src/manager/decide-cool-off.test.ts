import { describe, expect, it } from 'vitest';
import { NeedsReauthError } from '../errors/needs-reauth-error';
import { TokenRefreshError } from '../errors/token-refresh-error';
import { decideCoolOff, decideCoolOffAfterFailure, MAX_COOL_OFF_IN_MS } from './decide-cool-off';

const transient = (retryAfterInMs?: number) =>
  new TokenRefreshError({
    reason: 'server-error',
    message: 'Token endpoint answered 503.',
    retryable: true,
    accountId: 'default',
    ...(retryAfterInMs === undefined ? {} : { retryAfterInMs }),
  });

describe('decideCoolOffAfterFailure', () => {
  it('arms the configured cool-off after a transient failure, bound to the file signature', () => {
    const error = transient();
    expect(
      decideCoolOffAfterFailure({
        error,
        nowInMs: 1_000,
        coolOffInMs: 15_000,
        fileSignatureKey: 'sig-1',
      }),
    ).toEqual({ untilInMs: 16_000, failure: error, fileSignatureKey: 'sig-1' });
  });

  it('takes a longer Retry-After of the token endpoint, capped', () => {
    const longer = decideCoolOffAfterFailure({
      error: transient(60_000),
      nowInMs: 0,
      coolOffInMs: 15_000,
      fileSignatureKey: undefined,
    });
    expect(longer?.untilInMs).toBe(60_000);
    const capped = decideCoolOffAfterFailure({
      error: transient(3_600_000),
      nowInMs: 0,
      coolOffInMs: 15_000,
      fileSignatureKey: undefined,
    });
    expect(capped?.untilInMs).toBe(MAX_COOL_OFF_IN_MS);
    const shorter = decideCoolOffAfterFailure({
      error: transient(1_000),
      nowInMs: 0,
      coolOffInMs: 15_000,
      fileSignatureKey: undefined,
    });
    expect(shorter?.untilInMs).toBe(15_000);
  });

  it('arms nothing for a final failure, another error, or when cool-offs are off', () => {
    const options = { nowInMs: 0, coolOffInMs: 15_000, fileSignatureKey: 'sig' };
    const final = new TokenRefreshError({
      reason: 'http-error',
      message: 'Token endpoint answered 400.',
      retryable: false,
      accountId: 'default',
    });
    expect(decideCoolOffAfterFailure({ ...options, error: final })).toBeUndefined();
    expect(
      decideCoolOffAfterFailure({
        ...options,
        error: new NeedsReauthError({ accountId: 'default', credentialsPath: '/x.json' }),
      }),
    ).toBeUndefined();
    expect(decideCoolOffAfterFailure({ ...options, error: new Error('x') })).toBeUndefined();
    expect(
      decideCoolOffAfterFailure({ ...options, coolOffInMs: 0, error: transient() }),
    ).toBeUndefined();
  });
});

describe('decideCoolOff', () => {
  const coolOff = { untilInMs: 10_000, failure: transient(), fileSignatureKey: 'sig-1' };

  it('holds a new refresh back with the time left while the file is unchanged', () => {
    expect(decideCoolOff({ coolOff, nowInMs: 4_000, fileSignatureKey: 'sig-1' })).toEqual({
      action: 'hold',
      retryAfterInMs: 6_000,
    });
  });

  it('lifts once over, or as soon as the file changed (its refresh token may work)', () => {
    expect(decideCoolOff({ coolOff, nowInMs: 10_000, fileSignatureKey: 'sig-1' })).toEqual({
      action: 'lift',
    });
    expect(decideCoolOff({ coolOff, nowInMs: 4_000, fileSignatureKey: 'sig-2' })).toEqual({
      action: 'lift',
    });
    expect(decideCoolOff({ coolOff, nowInMs: 4_000, fileSignatureKey: undefined })).toEqual({
      action: 'lift',
    });
  });
});
