import { describe, expect, it } from 'vitest';
import { type AttemptPlan, applyRetryDecision } from './apply-retry-decision';

const streaming: AttemptPlan = {
  stream: true,
  fallbackUsed: false,
  pendingInvalidation: undefined,
  afterAuthRetry: false,
  authFailure: undefined,
};
const ids = { accountId: 'a', requestId: 'r' };

describe('applyRetryDecision', () => {
  it('reports a 401 as unauthorized and a 403 as forbidden, and marks the auth retry', () => {
    const failure = new Error('401');
    const step = applyRetryDecision({
      plan: streaming,
      reason: 'auth',
      error: failure,
      status: 401,
      ...ids,
    });
    expect(step).toEqual({
      plan: {
        ...streaming,
        pendingInvalidation: 'unauthorized',
        afterAuthRetry: true,
        authFailure: failure,
      },
      rotateAccount: false,
      dropStream: false,
      events: [{ type: 'auth-error-detected', accountId: 'a', status: 401, requestId: 'r' }],
    });
    const forbidden = applyRetryDecision({
      plan: streaming,
      reason: 'auth',
      error: failure,
      status: 403,
      ...ids,
    });
    expect(forbidden.plan.pendingInvalidation).toBe('forbidden');
    // an auth-looking message without a status is reported like a 401
    const statusless = applyRetryDecision({
      plan: streaming,
      reason: 'auth',
      error: failure,
      status: undefined,
      ...ids,
    });
    expect(statusless.plan.pendingInvalidation).toBe('unauthorized');
    expect(statusless.events).toEqual([
      { type: 'auth-error-detected', accountId: 'a', status: 401, requestId: 'r' },
    ]);
  });

  it('reports a suspected expiry as such', () => {
    const step = applyRetryDecision({
      plan: streaming,
      reason: 'suspected-expiry',
      error: new Error('504'),
      status: 504,
      ...ids,
    });
    expect(step.plan).toMatchObject({
      pendingInvalidation: 'suspected-expiry',
      afterAuthRetry: true,
    });
    expect(step.events).toEqual([
      { type: 'auth-error-detected', accountId: 'a', status: 504, requestId: 'r' },
    ]);
  });

  it('falls back to non-streaming once and asks whether the token is suspect', () => {
    const step = applyRetryDecision({
      plan: streaming,
      reason: 'stream-fallback',
      error: new Error('504 stream timeout'),
      status: 504,
      ...ids,
    });
    expect(step).toEqual({
      plan: {
        ...streaming,
        stream: false,
        fallbackUsed: true,
        pendingInvalidation: 'suspected-expiry',
      },
      rotateAccount: false,
      dropStream: true,
      events: [{ type: 'stream-fallback', accountId: 'a', requestId: 'r' }],
    });
  });

  it('rotates with nothing pending and no auth retry carried to the next account', () => {
    const afterAuth: AttemptPlan = {
      ...streaming,
      pendingInvalidation: 'unauthorized',
      afterAuthRetry: true,
    };
    const step = applyRetryDecision({
      plan: afterAuth,
      reason: 'rotate-account',
      error: new Error('quota'),
      status: 429,
      ...ids,
    });
    expect(step).toEqual({
      plan: { ...afterAuth, pendingInvalidation: undefined, afterAuthRetry: false },
      rotateAccount: true,
      dropStream: false,
      events: [],
    });
  });

  it.each(['rate-limit', 'server-error', 'connection', 'timeout', 'bad-response'] as const)(
    'retries the same request on the same account for %s',
    (reason) => {
      const step = applyRetryDecision({
        plan: streaming,
        reason,
        error: new Error(reason),
        status: 500,
        ...ids,
      });
      expect(step).toEqual({
        plan: streaming,
        rotateAccount: false,
        dropStream: false,
        events: [],
      });
    },
  );
});
