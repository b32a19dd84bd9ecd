import { describe, expect, it } from 'vitest';
import { decideInvalidation } from './decide-invalidation';

const base = {
  invalidAccessToken: 'access-1',
  currentAccessToken: 'access-1',
  reason: 'unauthorized' as const,
  alreadyInvalidated: false,
  nowInMs: 10_000,
  suspicionShieldUntilInMs: Number.NEGATIVE_INFINITY,
  tokenFromObservedRefresh: false,
};

describe('decideInvalidation', () => {
  it('answers already-replaced for a token that is not the current one, or with none held', () => {
    expect(decideInvalidation({ ...base, currentAccessToken: 'access-2' })).toEqual({
      action: 'already-replaced',
    });
    expect(decideInvalidation({ ...base, currentAccessToken: undefined })).toEqual({
      action: 'already-replaced',
    });
  });

  it('refreshes on a 401/403 of the current token, reporting whether it is the first report', () => {
    expect(decideInvalidation(base)).toEqual({ action: 'refresh', firstReport: true });
    expect(decideInvalidation({ ...base, reason: 'forbidden', alreadyInvalidated: true })).toEqual({
      action: 'refresh',
      firstReport: false,
    });
    // the shield only covers suspicion: a 401 is never ignored
    expect(decideInvalidation({ ...base, suspicionShieldUntilInMs: 20_000 })).toEqual({
      action: 'refresh',
      firstReport: true,
    });
  });

  it('ignores a suspected expiry inside the shield: too-young after our refresh, else recently-refreshed', () => {
    const suspected = {
      ...base,
      reason: 'suspected-expiry' as const,
      suspicionShieldUntilInMs: 20_000,
    };
    expect(decideInvalidation({ ...suspected, tokenFromObservedRefresh: true })).toEqual({
      action: 'too-young',
    });
    expect(decideInvalidation(suspected)).toEqual({ action: 'recently-refreshed' });
  });

  it('refreshes on a suspected expiry once the shield is over, or when the token was already given up', () => {
    const suspected = { ...base, reason: 'suspected-expiry' as const };
    expect(decideInvalidation({ ...suspected, suspicionShieldUntilInMs: 10_000 })).toEqual({
      action: 'refresh',
      firstReport: true,
    });
    expect(
      decideInvalidation({
        ...suspected,
        suspicionShieldUntilInMs: 20_000,
        alreadyInvalidated: true,
      }),
    ).toEqual({ action: 'refresh', firstReport: false });
  });
});
