import { isQwenRelayError } from '@qwen-relay/contracts';
import { describe, expect, it } from 'vitest';
import { ModelNotServedError } from './model-not-served-error';
import { UpstreamConnectionError, UpstreamServerError } from './upstream-errors';

describe('QwenClientError.withCallOutcome', () => {
  it('builds a complete copy of the same class with the attempts and Retry-After, leaving the original as it was', () => {
    const cause = new Error('socket');
    const original = new UpstreamServerError({
      message: 'Upstream server error (504)',
      upstreamStatus: 504,
      streamTimeout: true,
      accountId: 'work',
      cause,
    });
    const attempts = [
      { attempt: 1, accountId: 'work', stream: true, outcome: 'final', durationInMs: 5 },
    ] as const;
    const final = original.withCallOutcome({ attempts, retryAfterInMs: 1_500 });

    expect(final).toBeInstanceOf(UpstreamServerError);
    expect(final).not.toBe(original);
    expect(final).toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_SERVER_ERROR',
      status: 504,
      streamTimeout: true,
      accountId: 'work',
      retryAfterInMs: 1_500,
      attempts,
    });
    expect(final.cause).toBe(cause);
    expect(final.stack).toBe(original.stack);
    expect(isQwenRelayError(final)).toBe(true);
    expect(original.attempts).toEqual([]);
    expect(Object.hasOwn(original, 'retryAfterInMs')).toBe(false);
  });

  it('keeps fields only a subclass knows', () => {
    const final = new UpstreamConnectionError({
      message: 'reset',
      socketCode: 'ECONNRESET',
    }).withCallOutcome({ attempts: [] });
    expect(final.socketCode).toBe('ECONNRESET');
    expect(final.retryable).toBe(true);
    expect(Object.hasOwn(final, 'retryAfterInMs')).toBe(false);
  });

  it('copies errors whose constructor takes its own options', () => {
    const original = new ModelNotServedError({ model: 'glm-4.6', closestModels: ['glm-4.7'] });
    const final = original.withCallOutcome({ attempts: [] });
    expect(final).toBeInstanceOf(ModelNotServedError);
    expect(final).toMatchObject({
      name: 'ModelNotServedError',
      code: 'QWEN_RELAY_MODEL_NOT_FOUND',
      status: 404,
      param: 'model',
      model: 'glm-4.6',
      closestModels: ['glm-4.7'],
      message: original.message,
    });
  });
});
