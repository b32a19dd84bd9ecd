import { isQwenRelayError } from '@qwen-relay/contracts';
import { describe, expect, it } from 'vitest';
import { convertErrorToOpenAIError } from './convert-error-to-openai-error';
import { encodeSseErrorEvent } from './encode-sse-error-event';
import { InvalidRequestError } from './invalid-request-error';
import { StreamTruncatedError } from './stream-truncated-error';
import { UpstreamStreamError } from './upstream-stream-error';

const MARKER: unique symbol = Symbol.for('qwen-relay.error') as never;

// how other packages' errors look: a class with the marker and structured fields
class ForeignRelayError extends Error {
  readonly [MARKER] = true;
  constructor(
    readonly code: string,
    message: string,
    fields: Record<string, unknown> = {},
  ) {
    super(message);
    Object.assign(this, fields);
  }
}

describe('convertErrorToOpenAIError covers the ARCHITECTURE.md table', () => {
  it.each<[string, Record<string, unknown>, number, string, string | null]>([
    [
      'QWEN_RELAY_INVALID_REQUEST',
      { param: 'messages[0].role' },
      400,
      'invalid_request_error',
      'invalid_value',
    ],
    ['QWEN_RELAY_INVALID_JSON', {}, 400, 'invalid_request_error', 'invalid_json'],
    ['QWEN_RELAY_BODY_TOO_LARGE', {}, 413, 'invalid_request_error', 'request_too_large'],
    ['QWEN_RELAY_PROXY_UNAUTHORIZED', {}, 401, 'authentication_error', 'invalid_api_key'],
    ['QWEN_RELAY_NOT_FOUND', {}, 404, 'invalid_request_error', 'not_found'],
    ['QWEN_RELAY_METHOD_NOT_ALLOWED', {}, 405, 'invalid_request_error', 'method_not_allowed'],
    ['QWEN_RELAY_NO_CREDENTIALS', {}, 401, 'authentication_error', 'no_credentials'],
    ['QWEN_RELAY_NEEDS_REAUTH', {}, 401, 'authentication_error', 'needs_reauth'],
    ['QWEN_RELAY_CORRUPT_CREDENTIALS', {}, 503, 'server_error', 'corrupt_credentials'],
    ['QWEN_RELAY_TOKEN_REFRESH_FAILED', {}, 503, 'server_error', 'token_refresh_failed'],
    ['QWEN_RELAY_LOCK_TIMEOUT', {}, 503, 'server_error', 'lock_timeout'],
    ['QWEN_RELAY_DEVICE_FLOW_DENIED', {}, 500, 'server_error', 'device_flow_denied'],
    ['QWEN_RELAY_DEVICE_FLOW_EXPIRED', {}, 500, 'server_error', 'device_flow_expired'],
    ['QWEN_RELAY_DEVICE_FLOW_FAILED', {}, 500, 'server_error', 'device_flow_failed'],
    ['QWEN_RELAY_UPSTREAM_AUTH_FAILED', {}, 401, 'authentication_error', 'upstream_auth_failed'],
    ['QWEN_RELAY_UPSTREAM_RATE_LIMITED', {}, 429, 'rate_limit_error', 'rate_limit_exceeded'],
    ['QWEN_RELAY_UPSTREAM_QUOTA_EXCEEDED', {}, 429, 'insufficient_quota', 'insufficient_quota'],
    [
      'QWEN_RELAY_ALL_ACCOUNTS_COOLING_DOWN',
      {},
      429,
      'rate_limit_error',
      'all_accounts_cooling_down',
    ],
    [
      'QWEN_RELAY_UPSTREAM_BAD_REQUEST',
      { upstreamStatus: 422 },
      422,
      'invalid_request_error',
      'upstream_bad_request',
    ],
    [
      'QWEN_RELAY_UPSTREAM_SERVER_ERROR',
      { upstreamStatus: 500 },
      502,
      'upstream_error',
      'upstream_server_error',
    ],
    [
      'QWEN_RELAY_UPSTREAM_SERVER_ERROR',
      { upstreamStatus: 504 },
      504,
      'upstream_error',
      'upstream_server_error',
    ],
    [
      'QWEN_RELAY_UPSTREAM_TIMEOUT',
      { phase: 'connect' },
      504,
      'timeout_error',
      'upstream_connect_timeout',
    ],
    [
      'QWEN_RELAY_UPSTREAM_TIMEOUT',
      { phase: 'headers' },
      504,
      'timeout_error',
      'upstream_headers_timeout',
    ],
    [
      'QWEN_RELAY_UPSTREAM_TIMEOUT',
      { phase: 'idle' },
      504,
      'timeout_error',
      'upstream_idle_timeout',
    ],
    [
      'QWEN_RELAY_UPSTREAM_TIMEOUT',
      { phase: 'total' },
      504,
      'timeout_error',
      'upstream_total_timeout',
    ],
    ['QWEN_RELAY_UPSTREAM_TIMEOUT', {}, 504, 'timeout_error', 'upstream_timeout'],
    [
      'QWEN_RELAY_UPSTREAM_CONNECTION_FAILED',
      {},
      502,
      'upstream_error',
      'upstream_connection_failed',
    ],
    ['QWEN_RELAY_UPSTREAM_BAD_RESPONSE', {}, 502, 'upstream_error', 'upstream_bad_response'],
    ['QWEN_RELAY_ABORTED', {}, 499, 'request_aborted', 'aborted'],
    ['QWEN_RELAY_UPSTREAM_STREAM_ERROR', {}, 502, 'upstream_error', 'upstream_stream_error'],
    ['QWEN_RELAY_STREAM_TRUNCATED', {}, 502, 'upstream_error', 'stream_truncated'],
  ])('%s %o → %i %s/%s', (code, fields, status, type, openAICode) => {
    const result = convertErrorToOpenAIError(new ForeignRelayError(code, 'what happened', fields));
    expect(result.status).toBe(status);
    expect(result.body.error).toEqual({
      message: 'what happened',
      type,
      param: (fields.param as string | undefined) ?? null,
      code: openAICode,
    });
  });
});

describe('convertErrorToOpenAIError details', () => {
  it('adds Retry-After in whole seconds, rounded up', () => {
    const limited = new ForeignRelayError('QWEN_RELAY_UPSTREAM_RATE_LIMITED', 'slow down', {
      retryAfterInMs: 1_001,
    });
    expect(convertErrorToOpenAIError(limited).headers).toEqual({ 'Retry-After': '2' });
    const cooling = new ForeignRelayError('QWEN_RELAY_ALL_ACCOUNTS_COOLING_DOWN', 'cold', {
      retryAfterInMs: 30_000,
    });
    expect(convertErrorToOpenAIError(cooling).headers).toEqual({ 'Retry-After': '30' });
    expect(
      convertErrorToOpenAIError(new ForeignRelayError('QWEN_RELAY_UPSTREAM_QUOTA_EXCEEDED', 'q'))
        .headers,
    ).toEqual({});
  });

  it('works on plain objects that crossed a worker boundary', () => {
    const crossed = structuredClone({
      code: 'QWEN_RELAY_UPSTREAM_RATE_LIMITED',
      message: 'slow',
      retryAfterInMs: 500,
    });
    expect(isQwenRelayError(crossed)).toBe(true);
    expect(convertErrorToOpenAIError(crossed)).toEqual({
      status: 429,
      headers: { 'Retry-After': '1' },
      body: {
        error: {
          message: 'slow',
          type: 'rate_limit_error',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
    });
  });

  it('upstream bad request: keeps an explanation the error appended to the upstream message', () => {
    const error = new ForeignRelayError(
      'QWEN_RELAY_UPSTREAM_BAD_REQUEST',
      "model 'qwen3.8-max' is not supported. Account cp-1 (coding-plan) does not serve it.",
      {
        upstreamStatus: 400,
        upstreamBody: JSON.stringify({
          error: {
            code: 'invalid_parameter_error',
            message: "model 'qwen3.8-max' is not supported",
          },
        }),
      },
    );
    expect(convertErrorToOpenAIError(error).body.error).toMatchObject({
      message:
        "model 'qwen3.8-max' is not supported. Account cp-1 (coding-plan) does not serve it.",
      code: 'invalid_parameter_error',
    });
  });

  it("upstream bad request: the upstream's status, code, message and param", () => {
    const error = new ForeignRelayError(
      'QWEN_RELAY_UPSTREAM_BAD_REQUEST',
      'Upstream rejected the request (400)',
      {
        upstreamStatus: 400,
        upstreamBody: JSON.stringify({
          error: {
            code: 'invalid_parameter_error',
            param: 'max_tokens',
            message: 'Range of max_tokens should be [1, 65536]',
            type: 'invalid_request_error',
          },
        }),
      },
    );
    expect(convertErrorToOpenAIError(error)).toEqual({
      status: 400,
      headers: {},
      body: {
        error: {
          message: 'Range of max_tokens should be [1, 65536]',
          type: 'invalid_request_error',
          param: 'max_tokens',
          code: 'invalid_parameter_error',
        },
      },
    });
    const withObjectBody = new ForeignRelayError('QWEN_RELAY_UPSTREAM_BAD_REQUEST', 'rejected', {
      upstreamStatus: 400,
      upstreamBody: {
        error: {
          code: 'data_inspection_failed',
          message: 'Input data may contain inappropriate content.',
        },
      },
    });
    expect(convertErrorToOpenAIError(withObjectBody).body.error.code).toBe(
      'data_inspection_failed',
    );
  });

  it('in-band stream errors keep the upstream type and code', () => {
    const error = new UpstreamStreamError({
      message: 'Output data may contain inappropriate content.',
      upstreamErrorType: 'data_inspection_failed',
      upstreamErrorCode: 'data_inspection_failed',
    });
    expect(convertErrorToOpenAIError(error).body.error).toMatchObject({
      type: 'data_inspection_failed',
      code: 'data_inspection_failed',
    });
  });

  it('own error classes are recognised and keep their message and param', () => {
    const invalid = new InvalidRequestError({
      message: "Invalid value for 'n': only n = 1.",
      param: 'n',
    });
    expect(convertErrorToOpenAIError(invalid).body.error).toEqual({
      message: "Invalid value for 'n': only n = 1.",
      type: 'invalid_request_error',
      param: 'n',
      code: 'invalid_value',
    });
    expect(convertErrorToOpenAIError(new StreamTruncatedError()).body.error.code).toBe(
      'stream_truncated',
    );
  });

  it.each<[string, unknown]>([
    [
      'a TypeError',
      new TypeError('cannot read properties of undefined (reading token) at /home/me/secret.ts'),
    ],
    ['a string', 'boom'],
    ['null', null],
    ['an object with a non-relay code', { code: 'ECONNRESET', message: 'socket hang up' }],
  ])('unknown errors (%s) get a generic 500 without their message', (_name, error) => {
    expect(convertErrorToOpenAIError(error)).toEqual({
      status: 500,
      headers: {},
      body: {
        error: {
          message: 'Internal error in qwen-relay',
          type: 'server_error',
          param: null,
          code: 'internal_error',
        },
      },
    });
  });

  it('a future QWEN_RELAY_* code keeps its message and status', () => {
    expect(
      convertErrorToOpenAIError(
        new ForeignRelayError('QWEN_RELAY_SOMETHING_NEW', 'new thing', { status: 409 }),
      ),
    ).toMatchObject({
      status: 409,
      body: {
        error: { message: 'new thing', type: 'invalid_request_error', code: 'something_new' },
      },
    });
  });

  it('redacts token-like text from every message', () => {
    const leaky = new ForeignRelayError(
      'QWEN_RELAY_TOKEN_REFRESH_FAILED',
      'refresh failed for Bearer eyJhbGciOi.J9abc.def123 with qrt_AbC123xyz and sk-live1234 token=abcdef0123456789 raw 8f3kQ9xZ2mN7vB4cR6tY1wE5uI0oP3aS9dF',
    );
    const { message } = convertErrorToOpenAIError(leaky).body.error;
    expect(message).not.toMatch(/eyJ|AbC123|live1234|abcdef0123456789|8f3kQ9/);
    expect(message).toContain('Bearer [redacted]');
    expect(message).toContain('qrt_[redacted]');
  });
});

describe('encodeSseErrorEvent', () => {
  it('encodes the envelope as one final SSE event', () => {
    const bytes = encodeSseErrorEvent(new StreamTruncatedError());
    expect(new TextDecoder().decode(bytes)).toBe(
      'data: {"error":{"message":"upstream stream ended before completion","type":"upstream_error","param":null,"code":"stream_truncated"}}\n\n',
    );
  });
});
