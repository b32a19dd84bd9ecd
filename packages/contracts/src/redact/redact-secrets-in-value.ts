import { REDACTED, redactSecrets } from './redact-secrets';

// keys whose values are secrets wherever they appear (headers, credentials, error bodies)
const SECRET_KEY_PATTERN =
  /^(authorization|proxy-authorization|x-api-key|api[-_]?key|cookie|set-cookie|password|secret|client[-_]?secret|token|bearer)$|(access|refresh|id|session)[-_]?token|api[-_]?key|code[-_]?verifier|device[-_]?code/i;

/** Deepest level copied; deeper values become `[…]`. */
const MAX_DEPTH = 8;

// the verdict per key name: log fields repeat a few dozen names on every line
const MAX_REMEMBERED_KEYS = 512;
const secretKeyVerdicts = new Map<string, boolean>();

function isSecretKey(key: string): boolean {
  let verdict = secretKeyVerdicts.get(key);
  if (verdict === undefined) {
    verdict = SECRET_KEY_PATTERN.test(key);
    if (secretKeyVerdicts.size >= MAX_REMEMBERED_KEYS) secretKeyVerdicts.clear();
    secretKeyVerdicts.set(key, verdict);
  }
  return verdict;
}

/**
 * Deep copy of `value` for a log line: values under secret-looking keys become `[redacted]`,
 * strings go through {@link redactSecrets}, errors become `{ name, message, code }`, cycles and
 * very deep values become `[…]`.
 */
export function redactSecretsInValue(value: unknown): unknown {
  // cycles are only possible through a nested object: a flat object (an access line's fields)
  // is copied without tracking what was seen
  let seen: WeakSet<object> | undefined;
  function visit(current: unknown, depth: number): unknown {
    if (typeof current === 'string') return redactSecrets(current);
    if (typeof current !== 'object' || current === null) return current;
    if (depth > MAX_DEPTH) return '[…]';
    if (depth > 0) {
      if (seen === undefined) {
        seen = new WeakSet<object>();
        seen.add(value as object);
      }
      if (seen.has(current)) return '[…]';
      seen.add(current);
    }
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
    for (const key in current) {
      if (!Object.hasOwn(current, key)) continue;
      const item = (current as Record<string, unknown>)[key];
      copy[key] =
        item !== undefined && item !== null && isSecretKey(key) ? REDACTED : visit(item, depth + 1);
    }
    return copy;
  }
  return visit(value, 0);
}
