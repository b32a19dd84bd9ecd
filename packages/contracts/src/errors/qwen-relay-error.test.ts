import { describe, expect, it } from 'vitest';
import { type AnthropicErrorType, ERROR_CODES, isKnownErrorCode } from './error-codes';
import { isQwenRelayError } from './is-qwen-relay-error';
import { QWEN_RELAY_ERROR_MARKER, QwenRelayError } from './qwen-relay-error';

describe('QwenRelayError', () => {
  it('carries the marker, its code and the status of the table unless given one', () => {
    const error = new QwenRelayError({ code: 'QWEN_RELAY_LOCK_TIMEOUT', message: 'm' });
    expect(error[QWEN_RELAY_ERROR_MARKER]).toBe(true);
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('qwen-relay.error')]).toBe(
      true,
    );
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(false);
    expect(error.name).toBe('QwenRelayError');
    const custom = new QwenRelayError({
      code: 'QWEN_RELAY_UPSTREAM_BAD_REQUEST',
      message: 'm',
      status: 422,
      upstreamStatus: 422,
    });
    expect(custom.status).toBe(422);
    expect(custom.upstreamStatus).toBe(422);
  });

  it('has no own property for an absent optional field', () => {
    const error = new QwenRelayError({ code: 'QWEN_RELAY_INVALID_JSON', message: 'm' });
    expect(Object.hasOwn(error, 'param')).toBe(false);
    expect(Object.hasOwn(error, 'retryAfterInMs')).toBe(false);
  });

  it('names subclasses after themselves', () => {
    class ExampleError extends QwenRelayError {}
    expect(new ExampleError({ code: 'QWEN_RELAY_ABORTED', message: 'm' }).name).toBe(
      'ExampleError',
    );
  });
});

describe('isQwenRelayError', () => {
  it.each([
    [
      'an error of the root class',
      new QwenRelayError({ code: 'QWEN_RELAY_ABORTED', message: 'm' }),
      true,
    ],
    [
      'a marked object of another copy',
      { [Symbol.for('qwen-relay.error')]: true, code: 'X' },
      true,
    ],
    [
      'a plain object that crossed a worker boundary',
      { code: 'QWEN_RELAY_NEEDS_REAUTH', message: 'm' },
      true,
    ],
    ['a plain object without a message', { code: 'QWEN_RELAY_NEEDS_REAUTH' }, false],
    ['a system error', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), false],
    ['a plain error', new Error('plain'), false],
    ['null', null, false],
    ['a string', 'QWEN_RELAY_ABORTED', false],
  ])('%s → %s', (_name, value, expected) => {
    expect(isQwenRelayError(value)).toBe(expected);
  });
});

describe('ERROR_CODES', () => {
  it('maps every code to a client status and both protocols', () => {
    for (const [code, mapping] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^QWEN_RELAY_[A-Z_]+$/);
      expect(mapping.status).toBeGreaterThanOrEqual(400);
      expect(mapping.status).toBeLessThanOrEqual(599);
      expect(mapping.openAICode).toMatch(/^[a-z_]+$/);
      expect(isKnownErrorCode(code)).toBe(true);
    }
    expect(isKnownErrorCode('QWEN_RELAY_SOMETHING_NEW')).toBe(false);
    expect(isKnownErrorCode('toString')).toBe(false);
  });

  it("gives every API code the Anthropic type of its status, as Anthropic's error table does", () => {
    const typeByStatus: Record<number, AnthropicErrorType> = {
      400: 'invalid_request_error',
      401: 'authentication_error',
      403: 'permission_error',
      404: 'not_found_error',
      405: 'invalid_request_error',
      413: 'request_too_large',
      415: 'invalid_request_error',
      429: 'rate_limit_error',
    };
    for (const [code, mapping] of Object.entries(ERROR_CODES)) {
      if (mapping.surface !== 'http') continue;
      const expected = typeByStatus[mapping.status];
      if (expected !== undefined) expect([code, mapping.anthropicType]).toEqual([code, expected]);
      else if (mapping.status >= 500) {
        expect(['api_error', 'overloaded_error']).toContain(mapping.anthropicType);
      }
    }
  });

  it('sends the documented model_not_found for an unknown model', () => {
    expect(ERROR_CODES.QWEN_RELAY_MODEL_NOT_FOUND).toMatchObject({
      status: 404,
      openAICode: 'model_not_found',
      anthropicType: 'not_found_error',
    });
  });
});
