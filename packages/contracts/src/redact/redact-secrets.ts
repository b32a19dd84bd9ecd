import { getSecretRegistryState } from './secret-registry';

/** What a removed secret is replaced with. */
export const REDACTED = '[redacted]';

// keys whose values are secrets in JSON, form bodies, query strings and `key: value` text
const SECRET_KEYS = [
  '(?:access|refresh|id|session)[-_]?token',
  'accessToken',
  'refreshToken',
  'idToken',
  'device[-_]?code',
  'code[-_]?verifier',
  'x-api-key',
  'api[-_]?key',
  'client[-_]?secret',
  'password',
  'secret',
  'authorization',
  'token',
].join('|');

// one pass, one alternation; the replacer tells the alternatives apart by their groups
const SECRET_PATTERN = new RegExp(
  [
    // `Bearer …` / `Basic …`, whatever the credential looks like
    String.raw`\b(Bearer|Basic)\s+(?!\[redacted\])[^\s"',;]+`,
    // JSON, form and query values of secret-named keys: `"access_token":"…"`, `code_verifier=…`
    String.raw`(?<![\w-])((?:${SECRET_KEYS}))(["']?\s*[:=]\s*["']?)(?!Bearer\b|Basic\b|\[redacted\])[^\s"',;&}]+`,
    // token prefixes seen upstream: Qwen OAuth `qat_`/`qrt_`, DashScope `sk-`, Coding Plan `sk-sp-`
    String.raw`\b(qat_|qrt_|sk-|sk_)[A-Za-z0-9._~+/=-]{4,}`,
    // `at_…` / `rt_…` tokens (with a digit, so words like `at_least` stay)
    String.raw`\b(at_|rt_)(?=[A-Za-z._-]*\d)[A-Za-z0-9._~+/=-]{8,}`,
    // JWTs (base64url JSON header `eyJ`), short ones included
    String.raw`\b(eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]+){1,2})`,
    // long runs of the token alphabet: redacted when they look like a token (see isTokenLike)
    String.raw`[A-Za-z0-9_\-+/=.]{32,}`,
  ].join('|'),
  'gi',
);

const UUID_LIKE_PATTERN = /^[a-z]*-?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// a bare uuid: hex and dashes only, none of the letters any credential shape above needs
const PLAIN_UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HAS_DIGIT = /[0-9]/;
const HAS_LETTER = /[A-Za-z]/;
const PATH_LIKE = /^[\w.\-/]*$/;

let valuePatternCache: { version: number; pattern: RegExp | undefined } = {
  version: -1,
  pattern: undefined,
};

// short texts repeat (log messages such as `POST /v1/chat/completions 200 12ms`): their
// redacted form is remembered until a secret is registered or dropped (the answer depends on
// nothing else), at most MEMO_SIZE of them, each at most MEMO_MAX_LENGTH characters
const MEMO_MAX_LENGTH = 160;
const MEMO_SIZE = 512;
const memo = new Map<string, string>();
let memoVersion = -1;

/**
 * Removes secrets from text that may reach a client, an error or a log line, in two precompiled
 * passes: first every value registered with `registerSecret` (tokens, keys the process holds),
 * then anything that looks like a credential (`Bearer …`, secret-named JSON/form/query fields
 * such as `device_code=…&code_verifier=…`, `qat_`/`qrt_`/`sk-`/`sk-sp-`/`at_` tokens, JWTs, long
 * token-like runs). URLs, paths, uuids and ordinary words are kept readable.
 */
export function redactSecrets(text: string): string {
  if (text === '') return text;
  const valuePattern = getValuePattern();
  // a bare uuid (request ids) matches none of the credential shapes: only registered values
  if (text.length === 36 && PLAIN_UUID_PATTERN.test(text)) {
    return valuePattern === undefined ? text : text.replace(valuePattern, REDACTED);
  }
  if (text.length > MEMO_MAX_LENGTH) return redactUncached(text, valuePattern);
  if (memoVersion !== valuePatternCache.version) {
    memo.clear();
    memoVersion = valuePatternCache.version;
  }
  let redacted = memo.get(text);
  if (redacted === undefined) {
    redacted = redactUncached(text, valuePattern);
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(text, redacted);
  }
  return redacted;
}

function redactUncached(text: string, valuePattern: RegExp | undefined): string {
  const withoutValues = valuePattern === undefined ? text : text.replace(valuePattern, REDACTED);
  return withoutValues.replace(SECRET_PATTERN, replaceMatch);
}

function replaceMatch(
  match: string,
  scheme: string | undefined,
  key: string | undefined,
  separator: string | undefined,
  prefix: string | undefined,
  shortPrefix: string | undefined,
  jwt: string | undefined,
): string {
  if (scheme !== undefined) return `${scheme} ${REDACTED}`;
  if (key !== undefined) return `${key}${separator ?? ''}${REDACTED}`;
  if (prefix !== undefined) return `${prefix.toLowerCase()}${REDACTED}`;
  if (shortPrefix !== undefined) return `${shortPrefix.toLowerCase()}${REDACTED}`;
  if (jwt !== undefined) return REDACTED;
  return isTokenLike(match) ? REDACTED : match;
}

// a token mixes letters and digits; URLs, paths and request ids (uuid-like) are kept readable
function isTokenLike(run: string): boolean {
  if (!HAS_DIGIT.test(run) || !HAS_LETTER.test(run)) return false;
  if (UUID_LIKE_PATTERN.test(run)) return false;
  if (run.includes('/') && PATH_LIKE.test(run)) {
    return !run.split('/').every((part) => part.length < 32);
  }
  return true;
}

function getValuePattern(): RegExp | undefined {
  const state = getSecretRegistryState();
  if (valuePatternCache.version === state.version) return valuePatternCache.pattern;
  // longest first, so a secret that contains another is removed whole
  const values = [...state.counts.keys()].sort((a, b) => b.length - a.length);
  const pattern =
    values.length === 0 ? undefined : new RegExp(values.map(escapeRegExp).join('|'), 'g');
  valuePatternCache = { version: state.version, pattern };
  return pattern;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
