/** Default margin before `expiry_date` inside which a token is no longer handed out. */
export const DEFAULT_REFRESH_BUFFER_IN_MS = 30_000;

/**
 * A token is usable while `now < expiry - buffer`. A missing, NaN or non-numeric expiry
 * counts as expired: an unknown lifetime must never be sent upstream as if it were valid.
 */
export function isTokenUsable({
  expiresAtInMs,
  nowInMs,
  refreshBufferInMs = DEFAULT_REFRESH_BUFFER_IN_MS,
}: {
  expiresAtInMs: unknown;
  nowInMs: number;
  refreshBufferInMs?: number;
}): boolean {
  return (
    typeof expiresAtInMs === 'number' &&
    Number.isFinite(expiresAtInMs) &&
    nowInMs < expiresAtInMs - refreshBufferInMs
  );
}
