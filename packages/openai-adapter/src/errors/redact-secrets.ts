const BEARER_PATTERN = /\b(Bearer|Basic)\s+[^\s"',;]+/gi;
const PREFIXED_TOKEN_PATTERN = /\b(qat_|qrt_|sk-|sk_)[A-Za-z0-9._\-+/=]{4,}/g;
const KEY_VALUE_PATTERN =
  /\b((?:access_|refresh_|id_)?token|api_?key|authorization|password|secret|client_secret)(["']?\s*[:=]\s*["']?)(?!Bearer\b|Basic\b|\[REDACTED\])[^\s"',;&}]+/gi;
// long runs of token alphabet characters; checked by isTokenLike before being redacted
const LONG_RUN_PATTERN = /[A-Za-z0-9_\-+/=.]{32,}/g;
const UUID_LIKE_PATTERN = /^[a-z]*-?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REDACTED = '[REDACTED]';

/**
 * Removes anything that looks like a credential from a message (defence in depth: errors of the
 * project are built without secrets, but upstream texts and foreign errors are not under our control).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(BEARER_PATTERN, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(
      KEY_VALUE_PATTERN,
      (_match, key: string, separator: string) => `${key}${separator}${REDACTED}`,
    )
    .replace(PREFIXED_TOKEN_PATTERN, (_match, prefix: string) => `${prefix}${REDACTED}`)
    .replace(LONG_RUN_PATTERN, (run) => (isTokenLike(run) ? REDACTED : run));
}

// a token mixes letters and digits; URLs, paths and request ids (uuid-like) are kept readable
function isTokenLike(run: string): boolean {
  if (!/[0-9]/.test(run) || !/[A-Za-z]/.test(run)) return false;
  if (UUID_LIKE_PATTERN.test(run)) return false;
  if (
    run.includes('/') &&
    /^[\w.\-/]*$/.test(run) &&
    run.split('/').every((part) => part.length < 32)
  ) {
    return false;
  }
  return !run.includes(REDACTED);
}
