import { TokenRefreshError } from '../errors/token-refresh-error';

/** A token endpoint's Retry-After lengthens the cool-off at most to this. */
export const MAX_COOL_OFF_IN_MS = 300_000;

/**
 * A refresh that failed transiently holds callers back until `untilInMs`, while the file keeps
 * the signature it had then: bulk refreshes are what triggers the token endpoint's WAF.
 */
export interface CoolOff {
  untilInMs: number;
  failure: TokenRefreshError;
  fileSignatureKey: string | undefined;
}

/**
 * The cool-off a refresh's final failure arms: only a transient `TokenRefreshError`, for
 * `coolOffInMs` or the token endpoint's Retry-After when longer (capped); none when
 * `coolOffInMs` is 0.
 */
export function decideCoolOffAfterFailure({
  error,
  nowInMs,
  coolOffInMs,
  fileSignatureKey,
}: {
  error: unknown;
  nowInMs: number;
  coolOffInMs: number;
  fileSignatureKey: string | undefined;
}): CoolOff | undefined {
  if (!(error instanceof TokenRefreshError) || error.retryable !== true || coolOffInMs <= 0) {
    return undefined;
  }
  const serverDelayInMs = Math.min(MAX_COOL_OFF_IN_MS, error.retryAfterInMs ?? 0);
  return {
    untilInMs: nowInMs + Math.max(coolOffInMs, serverDelayInMs),
    failure: error,
    fileSignatureKey,
  };
}

/**
 * Whether a cool-off still refuses a new refresh: `hold` with the time left, or `lift` once it
 * is over or the file changed (a new file's refresh token may work).
 */
export function decideCoolOff({
  coolOff,
  nowInMs,
  fileSignatureKey,
}: {
  coolOff: CoolOff;
  nowInMs: number;
  fileSignatureKey: string | undefined;
}): { action: 'hold'; retryAfterInMs: number } | { action: 'lift' } {
  const leftInMs = coolOff.untilInMs - nowInMs;
  if (leftInMs > 0 && coolOff.fileSignatureKey === fileSignatureKey) {
    return { action: 'hold', retryAfterInMs: leftInMs };
  }
  return { action: 'lift' };
}
