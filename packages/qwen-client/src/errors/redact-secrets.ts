/** Longest upstream body kept on an error. */
export const UPSTREAM_BODY_LIMIT_IN_CHARS = 2048;

const secretPatterns: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(Bearer)\s+[^\s"',;]+/gi, '$1 [redacted]'],
  [/\b(qat|qrt)_[A-Za-z0-9._~+/=-]+/g, '$1_[redacted]'],
  [/\bsk-[A-Za-z0-9._-]{6,}/g, 'sk-[redacted]'],
  // JSON or form values of token-ish keys, whatever the token looks like
  [
    /("?(?:access_token|refresh_token|id_token|api_key|apiKey)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
    '$1[redacted]',
  ],
];

/** Removes bearer values and anything that looks like a Qwen/DashScope token from text. */
export function redactSecrets(text: string): string {
  let redacted = text;
  for (const [pattern, replacement] of secretPatterns) {
    redacted = redacted.replace(pattern, replacement);
  }
  return redacted;
}

/** Redacts and truncates an upstream body so it can travel on an error or into a log. */
export function convertUpstreamBodyToSafeText(bodyText: string): string {
  // redact before truncating so a token cut in half cannot slip through
  const redacted = redactSecrets(bodyText);
  if (redacted.length <= UPSTREAM_BODY_LIMIT_IN_CHARS) return redacted;
  return `${redacted.slice(0, UPSTREAM_BODY_LIMIT_IN_CHARS)}…[truncated ${redacted.length - UPSTREAM_BODY_LIMIT_IN_CHARS} chars]`;
}
