/*
 * Hot path of the stream transform: recognises, without JSON.parse, the chunk that needs nothing
 * but its `model` rewritten (a text or reasoning delta). Invariant defended here: every text
 * accepted is valid JSON whose parse is an object that transformChunk leaves unchanged (no
 * `error`, `usage` null, no `tool_calls`, every `finish_reason` null or absent) and whose one
 * top-level `model` string is the returned value. PLAIN_DELTA_CHUNK is a strict subset of compact
 * JSON: no whitespace, keys of [A-Za-z0-9_] only (their text is their value, so no `\u` spelling
 * of "error" or "model" slips through), objects nested only as choices[].delta, scalars
 * elsewhere, and `model` a top-level key only, its string without escapes. In such a text the
 * substring `"model":` can only start a key (inside a string its quotes would be escaped, and no
 * value is followed by `:`), so one occurrence means one model member, and its value is the text
 * up to the next quote. Anything else returns undefined and takes the full path, which is why
 * this may be as strict as it likes.
 */

const STRING = String.raw`"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"`;
const NUMBER = String.raw`-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?`;
const SCALAR = `(?:${STRING}|${NUMBER}|null|true|false)`;
const keyExcept = (excluded: readonly string[]): string =>
  `"(?!(?:${excluded.join('|')})")[A-Za-z0-9_]+":`;
const DELTA_MEMBER = `${keyExcept(['tool_calls', 'model'])}${SCALAR}`;
const DELTA = String.raw`\{(?:${DELTA_MEMBER}(?:,${DELTA_MEMBER})*)?\}`;
const CHOICE_MEMBER = `(?:"finish_reason":null|"delta":${DELTA}|${keyExcept(['finish_reason', 'delta', 'model'])}${SCALAR})`;
const CHOICE = String.raw`\{(?:${CHOICE_MEMBER}(?:,${CHOICE_MEMBER})*)?\}`;
const TOP_MEMBER = String.raw`(?:"choices":\[(?:${CHOICE}(?:,${CHOICE})*)?\]|"usage":null|"model":"[^"\\\u0000-\u001f\ud800-\udfff]*"|${keyExcept(['model', 'error', 'usage', 'choices'])}${SCALAR})`;
const PLAIN_DELTA_CHUNK = new RegExp(String.raw`^\{${TOP_MEMBER}(?:,${TOP_MEMBER})*\}$`);

const MODEL_KEY = '"model":';
// real deltas are a few hundred bytes; a huge one is rare and JSON.parse is the faster there
const MAX_FAST_PATH_LENGTH = 16_384;

/** The upstream `model` of a plain delta chunk (see the invariant above), else undefined. */
export function scanPlainDeltaChunk(data: string): string | undefined {
  if (data.length > MAX_FAST_PATH_LENGTH || !PLAIN_DELTA_CHUNK.test(data)) return undefined;
  const keyAt = data.indexOf(MODEL_KEY);
  if (keyAt === -1 || data.indexOf(MODEL_KEY, keyAt + MODEL_KEY.length) !== -1) return undefined;
  const valueAt = keyAt + MODEL_KEY.length + 1;
  return data.slice(valueAt, data.indexOf('"', valueAt));
}
