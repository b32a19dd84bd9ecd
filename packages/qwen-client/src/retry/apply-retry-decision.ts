import type { InvalidationReason, QwenClientEvent, RetryReason } from '@qwen-relay/contracts';

/** What the next attempt of a call sends and reports; a retry decision moves it on. */
export interface AttemptPlan {
  /** the attempt asks for an SSE stream */
  stream: boolean;
  /** the non-streaming fallback was used (at most once per call) */
  fallbackUsed: boolean;
  /** handed to the token source with the failed token before the next attempt */
  pendingInvalidation: InvalidationReason | undefined;
  /** the next attempt retries an auth failure: its outcome is reported as auth-retry-succeeded / -failed */
  afterAuthRetry: boolean;
  /** the auth failure being retried; the call fails with it when the token source has nothing new */
  authFailure: unknown;
}

/** The next attempt's plan, what else changes, and the events to report in order. */
export interface RetryStep {
  plan: AttemptPlan;
  /** switch to an account this call has not tried, forgetting the token */
  rotateAccount: boolean;
  /** send the non-streaming variant of the payload from now on */
  dropStream: boolean;
  events: QwenClientEvent[];
}

/**
 * Applies a retry decision to a call's plan, without side effects:
 * - `auth` / `suspected-expiry`: the failed token is reported to its source (`forbidden` for a
 *   403, `unauthorized` for another auth failure, `suspected-expiry` for a 504 that may be an
 *   expired token) and the next attempt is an auth retry;
 * - `stream-fallback`: the next attempt is non-streaming, once; the 504 may also be an expired
 *   token, so the source is asked whether it finds the token suspect;
 * - `rotate-account`: another account, with its own token and nothing pending;
 * - every other reason retries the same request on the same account.
 */
export function applyRetryDecision({
  plan,
  reason,
  error,
  status,
  accountId,
  requestId,
}: {
  plan: AttemptPlan;
  reason: RetryReason;
  error: unknown;
  /** the failed attempt's upstream status, when a response arrived */
  status: number | undefined;
  accountId: string;
  requestId: string;
}): RetryStep {
  switch (reason) {
    case 'auth':
    case 'suspected-expiry':
      return {
        plan: {
          ...plan,
          pendingInvalidation:
            reason === 'suspected-expiry'
              ? 'suspected-expiry'
              : status === 403
                ? 'forbidden'
                : 'unauthorized',
          afterAuthRetry: true,
          authFailure: error,
        },
        rotateAccount: false,
        dropStream: false,
        events: [{ type: 'auth-error-detected', accountId, status: status ?? 401, requestId }],
      };
    case 'stream-fallback':
      return {
        plan: {
          ...plan,
          pendingInvalidation: 'suspected-expiry',
          stream: false,
          fallbackUsed: true,
        },
        rotateAccount: false,
        dropStream: true,
        events: [{ type: 'stream-fallback', accountId, requestId }],
      };
    case 'rotate-account':
      return {
        plan: { ...plan, pendingInvalidation: undefined, afterAuthRetry: false },
        rotateAccount: true,
        dropStream: false,
        events: [],
      };
    case 'rate-limit':
    case 'server-error':
    case 'connection':
    case 'timeout':
    case 'bad-response':
      return { plan, rotateAccount: false, dropStream: false, events: [] };
  }
}
