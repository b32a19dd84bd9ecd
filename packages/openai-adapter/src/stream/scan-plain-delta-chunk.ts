/*
 * Hot path of the stream transform: recognises, without JSON.parse, the chunk that needs nothing
 * but its `model` rewritten (a text or reasoning delta). Invariant defended here: every text
 * accepted is valid JSON whose parse is an object that transformChunk leaves unchanged (no
 * `error`, `usage` null, no `tool_calls`, every `finish_reason` null or absent) and whose one
 * top-level `model` string is the captured value. PLAIN_DELTA_CHUNK is a strict subset of compact
 * JSON: no whitespace, keys of [A-Za-z0-9_] only (their text is their value, so no `\u` spelling
 * of "error" or "model" slips through), objects nested only as choices[].delta, scalars
 * elsewhere, and exactly one `model` member, at the top level, its string without escapes (its
 * text is its value). The members before and after it are matched by a pattern that cannot
 * match a `model` member, so the match itself says where the one model value is: group 1 is the
 * text up to and including `"model":"`, group 2 the value. Anything else returns undefined and
 * takes the full path, which is why this may be as strict as it likes.
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
const OTHER_TOP_MEMBER = String.raw`(?:"choices":\[(?:${CHOICE}(?:,${CHOICE})*)?\]|"usage":null|${keyExcept(['model', 'error', 'usage', 'choices'])}${SCALAR})`;
const MODEL_VALUE = String.raw`[^"\\\u0000-\u001f\ud800-\udfff]*`;
const PLAIN_DELTA_CHUNK = new RegExp(
  String.raw`^(\{(?:${OTHER_TOP_MEMBER},)*"model":")(${MODEL_VALUE})"(?:,${OTHER_TOP_MEMBER})*\}$`,
);

// real deltas are a few hundred bytes; a huge one is rare and JSON.parse is the faster there
const MAX_FAST_PATH_LENGTH = 16_384;

/**
 * A plain delta chunk's head up to its model value and the value (groups 1 and 2 of the match),
 * or undefined.
 */
export function matchPlainDeltaChunk(data: string): RegExpExecArray | undefined {
  if (data.length > MAX_FAST_PATH_LENGTH) return undefined;
  return PLAIN_DELTA_CHUNK.exec(data) ?? undefined;
}
