import type { RetryReason } from '@qwen-relay/contracts';
import { QwenClientError } from '../errors/qwen-client-error';
import {
  AbortedError,
  QuotaExceededError,
  UpstreamAuthError,
  UpstreamBadResponseError,
  UpstreamConnectionError,
  UpstreamRateLimitedError,
  UpstreamServerError,
  UpstreamTimeoutError,
} from '../errors/upstream-errors';
import { classifyErrorLimit } from '../scheduling/classify-error-limit';
import type { RetryContext, RetryDecision, RetryPolicy } from './retry-policy';

const backoffReasons = new Set<string>([
  'suspected-expiry',
  'rate-limit',
  'server-error',
  'connection',
  'timeout',
  'bad-response',
]);

/**
 * The default `shouldRetry`: the recovery rules of docs/design.md §4.3 as a pure function of the
 * failure and the call's history. Limits (attempts, deadline) are enforced by the wrapper.
 */
export function shouldRetryUpstreamFailure({
  context,
  policy,
}: {
  context: RetryContext;
  policy: RetryPolicy;
}): RetryDecision {
  const { error, history, accountId, canRotate } = context;
  if (error instanceof AbortedError) return { retry: false };
  if (context.failedIn === 'token-source') {
    // no token (needs re-auth, corrupt file…): another account may still have one
    return canRotate ? { retry: true, reason: 'rotate-account', delayInMs: 0 } : { retry: false };
  }
  if (!(error instanceof QwenClientError)) return { retry: false };
  const onThisAccount = history.filter((record) => record.accountId === accountId);
  const backoff = (reason: RetryReason): RetryDecision => ({
    retry: true,
    reason,
    delayInMs: policy.delayInMs({
      retry: history.filter((record) => backoffReasons.has(record.outcome)).length + 1,
      ...(error.retryAfterInMs === undefined ? {} : { retryAfterInMs: error.retryAfterInMs }),
    }),
  });

  if (error instanceof QuotaExceededError) {
    // a spent quota does not come back by retrying: cool the account down whatever happens
    const cooldownReason = classifyErrorLimit(error)?.kind ?? 'tokens-per-minute';
    return canRotate
      ? { retry: true, reason: 'rotate-account', delayInMs: 0, cooldownReason }
      : { retry: false, cooldownReason };
  }
  if (error instanceof UpstreamAuthError) {
    if (!onThisAccount.some((record) => record.outcome === 'auth')) {
      return { retry: true, reason: 'auth', delayInMs: 0 };
    }
    // a second auth failure right after a refresh is final for this account
    return canRotate
      ? { retry: true, reason: 'rotate-account', delayInMs: 0, cooldownReason: 'auth' }
      : { retry: false };
  }
  if (error instanceof UpstreamRateLimitedError) {
    // burst protection asks for a brief pause, per-minute throttling for another account
    const cooldownReason = classifyErrorLimit(error)?.kind ?? 'requests-per-minute';
    return canRotate
      ? { retry: true, reason: 'rotate-account', delayInMs: 0, cooldownReason }
      : backoff('rate-limit');
  }
  if (error instanceof UpstreamServerError && error.streamTimeout) {
    if (context.streamFallbackAvailable) {
      return { retry: true, reason: 'stream-fallback', delayInMs: 0 };
    }
    const suspicionChecked = onThisAccount.some(
      (record) => record.outcome === 'suspected-expiry' || record.outcome === 'stream-fallback',
    );
    return backoff(suspicionChecked ? 'server-error' : 'suspected-expiry');
  }
  if (!error.retryable) return { retry: false };
  if (error instanceof UpstreamServerError) return backoff('server-error');
  if (error instanceof UpstreamConnectionError) return backoff('connection');
  if (error instanceof UpstreamTimeoutError) return backoff('timeout');
  if (error instanceof UpstreamBadResponseError) {
    // an HTML page instead of JSON is usually a gateway hiccup: worth exactly one more try
    return history.some((record) => record.outcome === 'bad-response')
      ? { retry: false }
      : backoff('bad-response');
  }
  return { retry: false };
}
