import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../errors/attempt-record';
import {
  AbortedError,
  QuotaExceededError,
  UpstreamAuthError,
  UpstreamBadRequestError,
  UpstreamBadResponseError,
  UpstreamConnectionError,
  UpstreamRateLimitedError,
  UpstreamServerError,
  UpstreamTimeoutError,
} from '../errors/upstream-errors';
import { createRetryPolicy, type RetryContext } from './retry-policy';

const policy = createRetryPolicy({ random: () => 0.5 });
const context = (overrides: Partial<RetryContext>): RetryContext => ({
  error: new Error('x'),
  attempt: 1,
  history: [],
  accountId: 'a',
  failedIn: 'upstream',
  canRotate: false,
  streamFallbackAvailable: false,
  ...overrides,
});
const record = (outcome: AttemptRecord['outcome'], accountId = 'a'): AttemptRecord => ({
  attempt: 1,
  accountId,
  stream: false,
  outcome,
  durationInMs: 1,
});

describe('createRetryPolicy delays', () => {
  it('backs off exponentially up to the cap, with ±jitter', () => {
    const fixed = createRetryPolicy({ jitter: 0, baseDelayInMs: 100, maxDelayInMs: 1000 });
    expect([1, 2, 3, 4, 5].map((retry) => fixed.delayInMs({ retry }))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    const low = createRetryPolicy({ jitter: 0.3, baseDelayInMs: 1000, random: () => 0 });
    const high = createRetryPolicy({ jitter: 0.3, baseDelayInMs: 1000, random: () => 0.999_999 });
    expect(low.delayInMs({ retry: 1 })).toBe(700);
    expect(high.delayInMs({ retry: 1 })).toBe(1300);
  });

  it('supports full jitter', () => {
    const full = createRetryPolicy({ jitter: 'full', baseDelayInMs: 1000, random: () => 0.25 });
    expect(full.delayInMs({ retry: 2 })).toBe(500);
  });

  it('honours Retry-After up to the cap, without jitter', () => {
    expect(policy.delayInMs({ retry: 1, retryAfterInMs: 2000 })).toBe(2000);
    expect(policy.delayInMs({ retry: 1, retryAfterInMs: 3_600_000 })).toBe(60_000);
  });

  it('lets overridden limits drive the default methods', () => {
    const custom = createRetryPolicy({ baseDelayInMs: 10, jitter: 0 });
    expect(custom.delayInMs({ retry: 3 })).toBe(40);
  });
});

describe('default shouldRetry', () => {
  it('never retries an abort', () => {
    expect(policy.shouldRetry(context({ error: new AbortedError() }))).toEqual({ retry: false });
  });

  it('refreshes once on auth errors, then gives up (or rotates)', () => {
    const error = new UpstreamAuthError({ message: 'x', upstreamStatus: 401 });
    expect(policy.shouldRetry(context({ error }))).toEqual({
      retry: true,
      reason: 'auth',
      delayInMs: 0,
    });
    const after = context({ error, history: [record('auth')] });
    expect(policy.shouldRetry(after)).toEqual({ retry: false });
    expect(policy.shouldRetry({ ...after, canRotate: true })).toMatchObject({
      retry: true,
      reason: 'rotate-account',
      cooldownReason: 'auth',
    });
    // the refresh on another account does not count for this one
    expect(policy.shouldRetry(context({ error, history: [record('auth', 'b')] }))).toMatchObject({
      reason: 'auth',
    });
  });

  it('treats the first 504 stream timeout as a suspected expiry, later ones as transient', () => {
    const error = new UpstreamServerError({
      message: 'x',
      upstreamStatus: 504,
      retryable: true,
      streamTimeout: true,
    });
    expect(policy.shouldRetry(context({ error }))).toMatchObject({
      retry: true,
      reason: 'suspected-expiry',
    });
    expect(
      policy.shouldRetry(context({ error, history: [record('suspected-expiry')] })),
    ).toMatchObject({
      retry: true,
      reason: 'server-error',
    });
    expect(policy.shouldRetry(context({ error, streamFallbackAvailable: true }))).toEqual({
      retry: true,
      reason: 'stream-fallback',
      delayInMs: 0,
    });
  });

  it('backs off on rate limits with Retry-After, or rotates when another account exists', () => {
    const error = new UpstreamRateLimitedError({ message: 'x', retryAfterInMs: 2000 });
    expect(policy.shouldRetry(context({ error }))).toEqual({
      retry: true,
      reason: 'rate-limit',
      delayInMs: 2000,
    });
    expect(policy.shouldRetry(context({ error, canRotate: true }))).toMatchObject({
      reason: 'rotate-account',
      cooldownReason: 'requests-per-minute',
    });
  });

  it('never retries quota on the same account but always cools it down', () => {
    const error = new QuotaExceededError({ message: 'x' });
    expect(policy.shouldRetry(context({ error }))).toEqual({
      retry: false,
      cooldownReason: 'tokens-per-minute',
    });
    expect(policy.shouldRetry(context({ error, canRotate: true }))).toEqual({
      retry: true,
      reason: 'rotate-account',
      delayInMs: 0,
      cooldownReason: 'tokens-per-minute',
    });
  });

  it('never retries bad requests', () => {
    const error = new UpstreamBadRequestError({ message: 'x', status: 400 });
    expect(policy.shouldRetry(context({ error, canRotate: true }))).toEqual({ retry: false });
  });

  it('retries transient failures but not the total deadline', () => {
    for (const [error, reason] of [
      [
        new UpstreamServerError({ message: 'x', upstreamStatus: 503, retryable: true }),
        'server-error',
      ],
      [new UpstreamConnectionError({ message: 'x', socketCode: 'ECONNRESET' }), 'connection'],
      [new UpstreamTimeoutError({ message: 'x', phase: 'headers' }), 'timeout'],
    ] as const) {
      expect(policy.shouldRetry(context({ error }))).toMatchObject({ retry: true, reason });
    }
    const total = new UpstreamTimeoutError({ message: 'x', phase: 'total' });
    expect(policy.shouldRetry(context({ error: total }))).toEqual({ retry: false });
  });

  it('retries a bad response exactly once', () => {
    const error = new UpstreamBadResponseError({ message: 'x' });
    expect(policy.shouldRetry(context({ error }))).toMatchObject({
      retry: true,
      reason: 'bad-response',
    });
    expect(policy.shouldRetry(context({ error, history: [record('bad-response')] }))).toEqual({
      retry: false,
    });
  });

  it('counts backoff retries for the exponential delay', () => {
    const fixed = createRetryPolicy({ jitter: 0, baseDelayInMs: 100 });
    const error = new UpstreamServerError({ message: 'x', upstreamStatus: 500, retryable: true });
    const history = [record('server-error'), record('auth'), record('server-error')];
    expect(fixed.shouldRetry(context({ error, history }))).toMatchObject({ delayInMs: 400 });
  });

  it('rotates past a token source failure when it can', () => {
    const error = Object.assign(new Error('needs reauth'), { code: 'QWEN_RELAY_NEEDS_REAUTH' });
    expect(policy.shouldRetry(context({ error, failedIn: 'token-source' }))).toEqual({
      retry: false,
    });
    expect(
      policy.shouldRetry(context({ error, failedIn: 'token-source', canRotate: true })),
    ).toMatchObject({
      reason: 'rotate-account',
    });
  });
});
