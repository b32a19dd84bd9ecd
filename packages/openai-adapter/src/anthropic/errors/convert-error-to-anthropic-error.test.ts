import { describe, expect, it } from 'vitest';
import { UpstreamStreamError } from '../../errors/upstream-stream-error';
import {
  convertErrorToAnthropicError,
  formatAnthropicSseErrorEvent,
  mapStatusToAnthropicErrorType,
} from './convert-error-to-anthropic-error';

function relayError(fields: Record<string, unknown>) {
  return { [Symbol.for('qwen-relay.error')]: true, message: 'boom', ...fields };
}

describe('convertErrorToAnthropicError', () => {
  it('keeps status and Retry-After, and picks the Anthropic type from the status', () => {
    const converted = convertErrorToAnthropicError(
      relayError({ code: 'QWEN_RELAY_UPSTREAM_RATE_LIMITED', retryAfterInMs: 2500 }),
    );
    expect(converted).toEqual({
      status: 429,
      headers: { 'Retry-After': '3' },
      body: { type: 'error', error: { type: 'rate_limit_error', message: 'boom' } },
    });
    expect(
      convertErrorToAnthropicError(relayError({ code: 'QWEN_RELAY_PROXY_UNAUTHORIZED' })).body.error
        .type,
    ).toBe('authentication_error');
    expect(
      convertErrorToAnthropicError(relayError({ code: 'QWEN_RELAY_UPSTREAM_TIMEOUT' })).status,
    ).toBe(504);
    expect(convertErrorToAnthropicError(new Error('secret internals')).body).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'Internal error in qwen-relay' },
    });
  });

  it("takes the contracts table's type for the code at its own status, the status's type otherwise", () => {
    // 503 is api_error by status; a proxy that is shutting down is overloaded
    expect(
      convertErrorToAnthropicError(relayError({ code: 'QWEN_RELAY_SHUTTING_DOWN' })),
    ).toMatchObject({ status: 503, body: { error: { type: 'overloaded_error' } } });
    expect(
      convertErrorToAnthropicError(relayError({ code: 'QWEN_RELAY_BODY_TOO_LARGE' })),
    ).toMatchObject({ status: 413, body: { error: { type: 'request_too_large' } } });
    // the upstream's 404 and 403 pass through with their own status and its type
    const upstream = (upstreamStatus: number) =>
      convertErrorToAnthropicError(
        relayError({
          code: 'QWEN_RELAY_UPSTREAM_BAD_REQUEST',
          status: upstreamStatus,
          upstreamStatus,
        }),
      );
    expect(upstream(400).body.error.type).toBe('invalid_request_error');
    expect(upstream(404)).toMatchObject({
      status: 404,
      body: { error: { type: 'not_found_error' } },
    });
    expect(upstream(403)).toMatchObject({
      status: 403,
      body: { error: { type: 'permission_error' } },
    });
  });

  it('maps every documented status', () => {
    expect(
      [400, 401, 403, 404, 413, 422, 429, 500, 502, 504, 529].map(mapStatusToAnthropicErrorType),
    ).toEqual([
      'invalid_request_error',
      'authentication_error',
      'permission_error',
      'not_found_error',
      'request_too_large',
      'invalid_request_error',
      'rate_limit_error',
      'api_error',
      'api_error',
      'api_error',
      'overloaded_error',
    ]);
  });

  it('frames a mid-stream error as an `error` event, keeping an upstream type Anthropic knows', () => {
    const throttled = new UpstreamStreamError({
      message: 'Requests rate limit exceeded',
      upstreamErrorType: 'rate_limit_error',
    });
    expect(formatAnthropicSseErrorEvent(throttled)).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"Requests rate limit exceeded"}}\n\n',
    );
    const inspection = new UpstreamStreamError({
      message: 'Output data may contain inappropriate content.',
      upstreamErrorType: 'data_inspection_failed',
    });
    expect(convertErrorToAnthropicError(inspection).body.error.type).toBe('api_error');
  });
});
