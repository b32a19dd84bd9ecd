import type { InvalidationReason, TokenManagerEvent } from '@qwen-relay/contracts';

/** What `invalidate()` does, as its `token-invalidated` event reports it. */
export type InvalidationAction = Extract<
  TokenManagerEvent,
  { type: 'token-invalidated' }
>['action'];

/**
 * Decides what a caller's report of a failed token leads to:
 * - `already-replaced`: not the current token, the refresh it asks for has happened;
 * - `too-young` / `recently-refreshed`: a token just issued that "looks expired" is an
 *   overloaded upstream, not an expired token. A token of unknown age (start-up, file change)
 *   is not shielded by itself, but within the minimum age after our own refresh it is:
 *   otherwise two processes sharing a file could refresh in turn, each after adopting the
 *   other's token, on every 504;
 * - `refresh`: the token is given up; `firstReport` when it was not reported before.
 */
export function decideInvalidation({
  invalidAccessToken,
  currentAccessToken,
  reason,
  alreadyInvalidated,
  nowInMs,
  suspicionShieldUntilInMs,
  tokenFromObservedRefresh,
}: {
  invalidAccessToken: string;
  currentAccessToken: string | undefined;
  reason: InvalidationReason;
  /** the token was reported before (and is being replaced) */
  alreadyInvalidated: boolean;
  nowInMs: number;
  /** 'suspected-expiry' is ignored before this time */
  suspicionShieldUntilInMs: number;
  /** the current token was issued by a refresh we made or observed under the lock */
  tokenFromObservedRefresh: boolean;
}):
  | { action: Exclude<InvalidationAction, 'refresh'> }
  | { action: 'refresh'; firstReport: boolean } {
  if (currentAccessToken === undefined || invalidAccessToken !== currentAccessToken) {
    return { action: 'already-replaced' };
  }
  if (reason === 'suspected-expiry' && !alreadyInvalidated && nowInMs < suspicionShieldUntilInMs) {
    return { action: tokenFromObservedRefresh ? 'too-young' : 'recently-refreshed' };
  }
  return { action: 'refresh', firstReport: !alreadyInvalidated };
}
