const REDACTED = '[redacted]';

// keys whose values are secrets wherever they appear (headers, credentials, error bodies)
const SECRET_KEY_PATTERN =
  /^(authorization|proxy-authorization|x-api-key|api[-_]?key|cookie|set-cookie|password|secret|client[-_]?secret|token|bearer)$|(access|refresh|id|session)[-_]?token|api[-_]?key|code[-_]?verifier|device[-_]?code/i;

// values that carry a secret inline, e.g. inside an upstream error body or a message
const INLINE_SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [
    /("(?:access_token|refresh_token|id_token|api_key|apiKey|accessToken|refreshToken)"\s*:\s*")[^"]*(")/g,
    `$1${REDACTED}$2`,
  ],
  [/\b((?:access_token|refresh_token|code_verifier|device_code)=)[^&\s]+/g, `$1${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, REDACTED],
];

/** Replaces every known secret and every secret-looking substring of `text`. */
export function redactSecretsInText({
  text,
  secrets = [],
}: {
  text: string;
  secrets?: readonly string[];
}): string {
  let result = text;
  for (const secret of secrets) {
    // short values would redact ordinary words; keys and tokens are always longer
    if (secret.length >= 6) result = result.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of INLINE_SECRET_PATTERNS) {
    result = result.replace(pattern, replacement);
  }
  return result;
}

/**
 * Deep copy of `value` with secrets removed: values under secret-looking keys become
 * `[redacted]`, and strings are scrubbed of inline tokens and of the given known secrets.
 */
export function redactSecrets({
  value,
  secrets = [],
}: {
  value: unknown;
  secrets?: readonly string[];
}): unknown {
  const seen = new WeakSet<object>();
  function visit(current: unknown, depth: number): unknown {
    if (typeof current === 'string') return redactSecretsInText({ text: current, secrets });
    if (typeof current !== 'object' || current === null) return current;
    if (seen.has(current) || depth > 8) return '[…]';
    seen.add(current);
    if (current instanceof Error) {
      const code = (current as Error & { code?: unknown }).code;
      return {
        name: current.name,
        message: redactSecretsInText({ text: current.message, secrets }),
        ...(typeof code === 'string' ? { code } : {}),
      };
    }
    if (Array.isArray(current)) return current.map((item) => visit(item, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(current)) {
      copy[key] =
        SECRET_KEY_PATTERN.test(key) && item !== undefined && item !== null
          ? REDACTED
          : visit(item, depth + 1);
    }
    return copy;
  }
  return visit(value, 0);
}
