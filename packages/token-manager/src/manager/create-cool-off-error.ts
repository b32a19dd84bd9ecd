import { TokenRefreshError } from '../errors/token-refresh-error';

/**
 * The error a caller gets while a failed refresh cools off: the failure that armed the
 * cool-off (reason, message, upstream status and redacted body), retryable, with
 * `retryAfterInMs` set to the time left, so a proxy can answer 503 + Retry-After at once.
 */
export function createCoolOffError({
  failure,
  retryAfterInMs,
  accountId,
}: {
  failure: TokenRefreshError;
  retryAfterInMs: number;
  accountId: string;
}): TokenRefreshError {
  const seconds = Math.max(1, Math.ceil(retryAfterInMs / 1000));
  return new TokenRefreshError({
    reason: failure.reason,
    message: `${failure.message} Not retried for another ${seconds} s to avoid refresh bursts.`,
    retryable: true,
    accountId,
    retryAfterInMs,
    ...(failure.upstreamStatus === undefined ? {} : { upstreamStatus: failure.upstreamStatus }),
    ...(failure.upstreamBody === undefined ? {} : { upstreamBody: failure.upstreamBody }),
    cause: failure,
  });
}
