import { UpstreamStreamError } from '../errors/upstream-stream-error';
import { isPlainObject } from '../validation/field-checks';

// in-band error texts that mean "slow down" (qwen-code's throttling detection,
// docs/qwen-upstream.md §3.3)
const THROTTLING_PATTERN = /throttl|rate limit|too many requests/i;

/** Turns an upstream `{"error":{...}}` object (in a stream or a 200 JSON body) into a typed error. */
export function convertUpstreamErrorObject(error: unknown): UpstreamStreamError {
  if (!isPlainObject(error)) {
    return new UpstreamStreamError({
      message: typeof error === 'string' && error !== '' ? error : 'upstream reported an error',
    });
  }
  const message =
    typeof error.message === 'string' && error.message !== ''
      ? error.message
      : 'upstream reported an error';
  const code =
    typeof error.code === 'string' || typeof error.code === 'number' ? String(error.code) : null;
  return new UpstreamStreamError({
    message,
    upstreamErrorType:
      typeof error.type === 'string' && error.type !== '' ? error.type : 'upstream_error',
    upstreamErrorCode: code,
    param: typeof error.param === 'string' ? error.param : null,
  });
}

/** Turns the text of an in-band `finish_reason: "error_finish"` chunk into a typed, retryable error. */
export function convertErrorFinish(text: string): UpstreamStreamError {
  const throttled = THROTTLING_PATTERN.test(text);
  return new UpstreamStreamError({
    message: text === '' ? 'upstream ended the response with error_finish' : text,
    upstreamErrorType: throttled ? 'rate_limit_error' : 'upstream_error',
    upstreamErrorCode: throttled ? 'rate_limit_exceeded' : 'error_finish',
    retryable: true,
  });
}
