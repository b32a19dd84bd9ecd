import { isQwenRelayError } from '@qwen-relay/contracts';
import { describe, expect, it } from 'vitest';
import { createUpstreamError } from './create-upstream-error';
import {
  QuotaExceededError,
  UpstreamAuthError,
  UpstreamBadRequestError,
  UpstreamBadResponseError,
  UpstreamRateLimitedError,
  UpstreamServerError,
} from './upstream-errors';

const json = { 'content-type': 'application/json' };
const envelope = (code: string, message: string, type = code) =>
  JSON.stringify({ error: { code, message, param: null, type }, request_id: 'r-1' });

describe('createUpstreamError', () => {
  it('maps 401 to an auth error with the upstream message and the project marker', () => {
    const error = createUpstreamError({
      status: 401,
      headers: json,
      bodyText: envelope(
        'invalid_api_key',
        'invalid access token or token expired',
        'invalid_request_error',
      ),
    });
    expect(error).toBeInstanceOf(UpstreamAuthError);
    expect(error.code).toBe('QWEN_RELAY_UPSTREAM_AUTH_FAILED');
    expect(error.status).toBe(401);
    expect(error.upstreamStatus).toBe(401);
    expect(error.upstreamCode).toBe('invalid_api_key');
    expect(error.message).toContain('invalid access token or token expired');
    expect(isQwenRelayError(error)).toBe(true);
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('qwen-relay.error')]).toBe(
      true,
    );
  });

  it('treats auth-looking messages on other 4xx as auth errors', () => {
    const error = createUpstreamError({
      status: 400,
      headers: json,
      bodyText: envelope('x', 'Token has expired'),
    });
    expect(error).toBeInstanceOf(UpstreamAuthError);
  });

  it.each([
    envelope('insufficient_quota', 'You exceeded your current quota, please check your plan'),
    envelope('insufficient_quota', 'Free allocated quota exceeded.'),
    'Daily quota exceeded',
  ])('recognises hard quota: %s', (bodyText) => {
    const error = createUpstreamError({ status: 429, headers: json, bodyText });
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(429);
  });

  it('keeps quota first even on 403', () => {
    const error = createUpstreamError({
      status: 403,
      headers: json,
      bodyText: envelope('insufficient_quota', 'quota exceeded'),
    });
    expect(error).toBeInstanceOf(QuotaExceededError);
  });

  it('maps throttling 429 (also with an empty body) to a retryable rate limit with Retry-After', () => {
    const error = createUpstreamError({
      status: 429,
      headers: { 'retry-after': '2' },
      bodyText: '',
    });
    expect(error).toBeInstanceOf(UpstreamRateLimitedError);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterInMs).toBe(2000);
  });

  it.each([400, 404, 413, 422])('returns %i unchanged as a bad request', (status) => {
    const error = createUpstreamError({
      status,
      headers: json,
      bodyText: envelope(
        'invalid_parameter_error',
        'Range of max_tokens should be [1, 65536]',
        'invalid_request_error',
      ),
    });
    expect(error).toBeInstanceOf(UpstreamBadRequestError);
    expect(error.status).toBe(status);
    expect(error.message).toBe('Range of max_tokens should be [1, 65536]');
    expect(error.upstreamType).toBe('invalid_request_error');
    expect(error.retryable).toBe(false);
  });

  it('recognises content moderation as a bad request, also SSE-framed', () => {
    const error = createUpstreamError({
      status: 400,
      headers: { 'content-type': 'text/event-stream' },
      bodyText: `data: ${envelope('data_inspection_failed', 'Input data may contain inappropriate content.')}\n\n`,
    });
    expect(error).toBeInstanceOf(UpstreamBadRequestError);
    expect(error.upstreamCode).toBe('data_inspection_failed');
    expect(error.message).toBe('Input data may contain inappropriate content.');
  });

  it('flags 504 stream timeout and answers 504 to the client', () => {
    const error = createUpstreamError({
      status: 504,
      headers: { 'content-type': 'text/plain' },
      bodyText: 'stream timeout',
    });
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect((error as UpstreamServerError).streamTimeout).toBe(true);
    expect(error.status).toBe(504);
    expect(error.retryable).toBe(true);
  });

  it('maps 500 to a retryable 502 and 501 to a final one', () => {
    expect(createUpstreamError({ status: 500, headers: json, bodyText: '' })).toMatchObject({
      status: 502,
      retryable: true,
    });
    expect(createUpstreamError({ status: 501, headers: json, bodyText: '' })).toMatchObject({
      status: 502,
      retryable: false,
    });
  });

  it('maps a 200 HTML page to a bad response', () => {
    const error = createUpstreamError({
      status: 200,
      headers: { 'content-type': 'text/html' },
      bodyText: '<html>slider</html>',
    });
    expect(error).toBeInstanceOf(UpstreamBadResponseError);
    expect(error.message).toContain('text/html');
  });

  it('strips secrets and truncates the upstream body', () => {
    const bodyText = `{"error":{"message":"bad Bearer qat_SECRETSECRET and sk-abcdef123456 and qrt_ROTATING"}}${'x'.repeat(5000)}`;
    const error = createUpstreamError({ status: 400, headers: json, bodyText });
    expect(error.upstreamBody).not.toMatch(/SECRETSECRET|abcdef123456|ROTATING/);
    expect(error.message).not.toMatch(/SECRETSECRET|abcdef123456|ROTATING/);
    expect(error.upstreamBody?.length).toBeLessThan(2200);
  });
});
