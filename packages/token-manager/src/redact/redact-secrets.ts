/** Values of these JSON/form keys are always secrets. */
const SECRET_FIELD_PATTERN =
  /("?(?:access_token|refresh_token|id_token|device_code|code_verifier|api_key|apiKey)"?\s*[:=]\s*"?)([^"&,\s}]+)/gi;
const BEARER_PATTERN = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
/** Long unbroken token-like runs (JWTs, opaque tokens) are redacted even without a known key. */
const TOKEN_LIKE_PATTERN = /[A-Za-z0-9_-]{32,}(?:\.[A-Za-z0-9_-]{8,}){0,2}/g;

/**
 * Removes secrets from text that may reach a message, event or log: the given known secret
 * values, values of secret-named fields, bearer values, and long token-like strings.
 */
export function redactSecrets({
  text,
  secrets = [],
}: {
  text: string;
  secrets?: ReadonlyArray<string | undefined>;
}): string {
  let redacted = text;
  for (const secret of secrets) {
    // short values would shred ordinary words; real tokens are long
    if (secret && secret.length >= 8) redacted = redacted.split(secret).join('[redacted]');
  }
  return redacted
    .replace(SECRET_FIELD_PATTERN, '$1[redacted]')
    .replace(BEARER_PATTERN, '$1[redacted]')
    .replace(TOKEN_LIKE_PATTERN, '[redacted]');
}

/** A redacted, length-bounded excerpt of an upstream body for error fields. */
export function excerptUpstreamBody({
  text,
  secrets,
  maxLength = 300,
}: {
  text: string;
  secrets?: ReadonlyArray<string | undefined>;
  maxLength?: number;
}): string {
  // redact before cutting: a token split at the cut would slip past the patterns
  const compact = redactSecrets({
    text: text.replace(/\s+/g, ' ').trim(),
    ...(secrets ? { secrets } : {}),
  });
  return compact.length > maxLength ? `${compact.slice(0, maxLength)}…` : compact;
}
