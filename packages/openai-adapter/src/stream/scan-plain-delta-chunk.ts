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

// a JSON string, its loop unrolled (a run of unescaped characters, then escapes each followed by
// such a run): the same strings as the textbook `"(?:char|escape)*"`, but the matcher takes a
// run in one step instead of one alternation per character
const ESCAPE = String.raw`\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})`;
const UNESCAPED_RUN = String.raw`[^"\\\u0000-\u001f]*`;
const STRING = `"${UNESCAPED_RUN}(?:${ESCAPE}${UNESCAPED_RUN})*"`;
/** A JSON number, as a pattern's source. */
export const NUMBER = String.raw`-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?`;
/** A JSON string, number, `null`, `true` or `false`, as a pattern's source. */
export const SCALAR = `(?:${STRING}|${NUMBER}|null|true|false)`;
/**
 * A member's name and colon, the name of [A-Za-z0-9_] only (its text is its value) and none of
 * `excluded`, as a pattern's source.
 */
export const keyExcept = (excluded: readonly string[]): string =>
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

/**
 * The longest data a fast-path pattern is tried on: real deltas and events are a few hundred
 * bytes; a huge one is rare and JSON.parse is the faster there.
 */
export const MAX_FAST_PATH_LENGTH = 16_384;

/**
 * A plain delta chunk's head up to its model value and the value (groups 1 and 2 of the match),
 * or undefined.
 */
export function matchPlainDeltaChunk(data: string): RegExpExecArray | undefined {
  if (data.length > MAX_FAST_PATH_LENGTH) return undefined;
  return PLAIN_DELTA_CHUNK.exec(data) ?? undefined;
}

/*
 * The translations' fast path (Anthropic Messages, Responses): a plain delta chunk in the layout
 * Qwen sends, `choices` first and holding one choice, whose members other than its delta are
 * `"finish_reason":null`, `"logprobs":null` or `"index":0`. Each of `choices`, `delta` and
 * `model` appears once, at one place in the pattern, so its group holds it. The delta is either
 * one of Qwen's own layouts (`content`, then maybe `reasoning_content`, with `"role":"assistant"`
 * before, between or after them), its two strings captured as groups 1 and 2 (either may be
 * `null`), or any delta DELTA allows (scalars, no tool calls) as JSON text in group 3. Group 4 is
 * the model value (no escapes). The strings of groups 1 and 2 are TEXT_STRING: well-formed
 * UTF-16 (a surrogate only in a pair), the loop unrolled so that a run of plain characters is
 * one step of the matcher; such a string is often exactly what JSON.stringify writes for its
 * value (isStringifiedSpelling), so a translation can write it as it came.
 */
const PLAIN_CHARACTER = String.raw`[^"\\\u0000-\u001f\ud800-\udfff]`;
const SURROGATE_PAIR = String.raw`[\ud800-\udbff][\udc00-\udfff]`;
const TEXT_STRING = `"${PLAIN_CHARACTER}*(?:(?:${ESCAPE}|${SURROGATE_PAIR})${PLAIN_CHARACTER}*)*"`;
const ONE_CHOICE_MEMBER = '(?:"finish_reason":null|"logprobs":null|"index":0)';
const ROLE = '"role":"assistant"';
const TEXT_OR_NULL = `(${TEXT_STRING}|null)`;
const QWEN_DELTA = String.raw`\{(?:${ROLE},)?"content":${TEXT_OR_NULL}(?:,${ROLE})?(?:,"reasoning_content":${TEXT_OR_NULL})?(?:,${ROLE})?\}`;
const TOP_MEMBER_AFTER_CHOICES = `(?:"usage":null|${keyExcept(['model', 'error', 'usage', 'choices'])}${SCALAR})`;
const ONE_CHOICE_DELTA_CHUNK = new RegExp(
  String.raw`^\{"choices":\[\{(?:${ONE_CHOICE_MEMBER},)*"delta":(?:${QWEN_DELTA}|(${DELTA}))(?:,${ONE_CHOICE_MEMBER})*\}\](?:,${TOP_MEMBER_AFTER_CHOICES})*,"model":"(${MODEL_VALUE})"(?:,${TOP_MEMBER_AFTER_CHOICES})*\}$`,
);

/**
 * ONE_CHOICE_DELTA_CHUNK's match of a plain delta chunk in the layout Qwen sends, or undefined.
 * Groups: 1 and 2 the JSON texts of the delta's `content` and `reasoning_content` (TEXT_STRING
 * or `null`; undefined when absent), set only when group 3 is not; 3 any other delta's JSON text
 * (scalars, no tool calls); 4 the model value (no escapes, maybe empty). The chunk has one choice,
 * of index 0 (or none), no finish reason, no `usage`, no `error` and no tool calls: the delta and
 * the model are all a translation reads from it.
 */
export function matchQwenDeltaChunk(data: string): RegExpExecArray | undefined {
  if (data.length > MAX_FAST_PATH_LENGTH) return undefined;
  return ONE_CHOICE_DELTA_CHUNK.exec(data) ?? undefined;
}

/**
 * Whether a TEXT_STRING text is what JSON.stringify writes for its value. TEXT_STRING admits no
 * raw control character and no lone surrogate, so only its escapes can differ: JSON.stringify
 * writes `\"`, `\\`, `\b`, `\f`, `\n`, `\r` and `\t` as they are spelt here, but never `\/`,
 * and a `\u` escape only for a lone surrogate or a control character those do not name (which
 * a text may spell another way). So a text with `\/` or any `\u` is refused; so is one with
 * `\\u` (an escaped backslash, then `u`), which only costs it being serialised again.
 */
export function isStringifiedSpelling(text: string): boolean {
  return !text.includes('\\') || (!text.includes('\\u') && !text.includes('\\/'));
}

/** Whether a group 1 or 2 of matchQwenDeltaChunk holds text: neither absent, `null` nor `""`. */
export function isNonEmptyTextJson(json: string | undefined): json is string {
  return json !== undefined && json !== 'null' && json !== '""';
}

/** A TEXT_STRING text's value: parsed when it has an escape, else the text between its quotes. */
export function parseTextString(text: string): string {
  return text.includes('\\') ? JSON.parse(text) : text.slice(1, -1);
}

/*
 * The two chunks that end a Qwen stream, in its layout (docs/qwen-upstream.md §2.6): the finish
 * chunk (one choice whose members other than its finish reason are an empty delta, `"index":0`
 * or `"logprobs":null`; `usage` null) and the usage chunk (`choices` empty, one `usage` object of
 * counts and objects of counts). Groups: 1 the text up to and including `"model":"`, 2 the finish
 * reason or the usage object's JSON text, 3 the model value (no escapes). `model`, `usage`,
 * `choices` and the finish reason each appear once, at one place in the pattern.
 */
const EMPTY_DELTA = String.raw`\{(?:"content":(?:""|null))?\}`;
const FINISH_CHOICE_MEMBER = `(?:"delta":${EMPTY_DELTA}|"index":0|"logprobs":null)`;
const TOP_SCALAR_MEMBER = `${keyExcept(['model', 'error', 'usage', 'choices'])}${SCALAR}`;
const FINISH_TOP_MEMBER = `(?:"usage":null|${TOP_SCALAR_MEMBER})`;
const FINISH_CHUNK = new RegExp(
  String.raw`^(\{"choices":\[\{(?:${FINISH_CHOICE_MEMBER},)*"finish_reason":"([a-z_]+)"(?:,${FINISH_CHOICE_MEMBER})*\}\](?:,${FINISH_TOP_MEMBER})*,"model":")(${MODEL_VALUE})"(?:,${FINISH_TOP_MEMBER})*\}$`,
);
const COUNT = `(?:${NUMBER}|null)`;
const COUNT_MEMBER = `"[A-Za-z0-9_]+":${COUNT}`;
const USAGE_MEMBER = String.raw`"[A-Za-z0-9_]+":(?:${COUNT}|\{(?:${COUNT_MEMBER}(?:,${COUNT_MEMBER})*)?\})`;
const USAGE_OBJECT = String.raw`\{(?:${USAGE_MEMBER}(?:,${USAGE_MEMBER})*)?\}`;
const USAGE_CHUNK = new RegExp(
  String.raw`^(\{"choices":\[\](?:,${TOP_SCALAR_MEMBER})*,"usage":(${USAGE_OBJECT})(?:,${TOP_SCALAR_MEMBER})*,"model":")(${MODEL_VALUE})"(?:,${TOP_SCALAR_MEMBER})*\}$`,
);
const USAGE_CHUNK_START = '{"choices":[],';

/** A chunk that ends a stream, read without parsing it whole (see readFinalChunk). */
export type FinalChunk =
  | { kind: 'finish'; head: string; model: string; finishReason: string }
  | { kind: 'usage'; head: string; model: string; usage: Record<string, unknown> };

/**
 * The finish chunk or the usage chunk in Qwen's layout (FINISH_CHUNK, USAGE_CHUNK): `head` is the
 * text up to and including `"model":"`, then the model value (its own text). A finish chunk has
 * one choice, of index 0, with nothing in its delta but an empty or null `content`, a finish
 * reason other than `error_finish`, no usage, no error; a usage chunk no choices and no error.
 * Nothing else in either is read by any transform. Undefined for any other chunk: parse it whole.
 */
export function readFinalChunk(data: string): FinalChunk | undefined {
  if (data.length > MAX_FAST_PATH_LENGTH) return undefined;
  if (data.startsWith(USAGE_CHUNK_START)) {
    const match = USAGE_CHUNK.exec(data);
    if (match === null) return undefined;
    const [, head = '', usage = '', model = ''] = match;
    return { kind: 'usage', head, model, usage: JSON.parse(usage) };
  }
  const match = FINISH_CHUNK.exec(data);
  if (match === null) return undefined;
  const [, head = '', finishReason = '', model = ''] = match;
  if (finishReason === 'error_finish') return undefined;
  return { kind: 'finish', head, model, finishReason };
}
