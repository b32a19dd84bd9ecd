import { REDACTED, redactSecrets } from './redact-secrets';

// keys whose values are secrets wherever they appear (headers, credentials, error bodies)
const SECRET_KEY_PATTERN =
  /^(authorization|proxy-authorization|x-api-key|api[-_]?key|cookie|set-cookie|password|secret|client[-_]?secret|token|bearer)$|(access|refresh|id|session)[-_]?token|api[-_]?key|code[-_]?verifier|device[-_]?code/i;

/** Deepest level copied; deeper values become `[…]`. */
const MAX_DEPTH = 8;

/**
 * Deep copy of `value` for a log line: values under secret-looking keys become `[redacted]`,
 * strings go through {@link redactSecrets}, errors become `{ name, message, code }`, cycles and
 * very deep values become `[…]`.
 */
export function redactSecretsInValue(value: unknown): unknown {
  let seen: WeakSet<object> | undefined;
  function visit(current: unknown, depth: number): unknown {
    if (typeof current === 'string') return redactSecrets(current);
    if (typeof current !== 'object' || current === null) return current;
    seen ??= new WeakSet<object>();
    if (seen.has(current) || depth > MAX_DEPTH) return '[…]';
    seen.add(current);
    if (current instanceof Error) {
      const code = (current as Error & { code?: unknown }).code;
      return {
        name: current.name,
        message: redactSecrets(current.message),
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
