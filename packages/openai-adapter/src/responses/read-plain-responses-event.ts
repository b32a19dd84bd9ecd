import { keyExcept, MAX_FAST_PATH_LENGTH, NUMBER, SCALAR } from '../stream/scan-plain-delta-chunk';

/*
 * The passthrough's hot path: recognises, without JSON.parse, a native Responses event that the
 * passthrough only counts and takes the sequence_number of (every event but the ones that carry
 * the response or an error: NOTED_TYPES). Invariant defended here: every text accepted is valid
 * JSON whose parse is an object with the captured `type` and `sequence_number` and no other
 * member of either name. PLAIN_RESPONSES_EVENT is a strict subset of compact JSON in the layout
 * OpenAI and Alibaba write (`type` first, `sequence_number` last): no whitespace, member names
 * of [A-Za-z0-9_] only (their text is their value, so no `\u` spelling of "type" slips through),
 * the type's string without escapes, and members nested at most three levels (an item with its
 * parts and their annotations). Anything else returns undefined and is parsed, which is why this
 * may be as strict as it likes.
 */
const KEY = '"[A-Za-z0-9_]+":';
const LEAF = String.raw`(?:${SCALAR}|\[\]|\{\})`;
// a value nested one level more than `inner`: a leaf, or a non-empty object or array of `inner`
// (the alternatives differ by their first two characters: no backtracking between them)
const nest = (inner: string): string =>
  String.raw`(?:${LEAF}|\{${KEY}${inner}(?:,${KEY}${inner})*\}|\[${inner}(?:,${inner})*\])`;
// three levels: an item with its parts (`item.content[0].annotations`), the deepest event of a
// message that is only counted
const VALUE = nest(nest(nest(LEAF)));
const MEMBER = `${keyExcept(['type', 'sequence_number'])}${VALUE}`;
// the events whose data the passthrough reads beyond type and sequence number (every type
// observeEvent acts on must be here): refused by the pattern right after `"type":"`, before it
// reads their response
const NOTED_TYPES = [
  'response.created',
  'response.in_progress',
  'response.completed',
  'response.incomplete',
  'response.failed',
  'error',
];
const NOT_NOTED = `(?!(?:${NOTED_TYPES.map((type) => type.replaceAll('.', String.raw`\.`)).join('|')})")`;
const PLAIN_RESPONSES_EVENT = new RegExp(
  String.raw`^\{"type":"${NOT_NOTED}[a-z_.]+"(?:,${MEMBER})*,"sequence_number":(${NUMBER})\}$`,
);

/**
 * The sequence_number of a plain event (see above) of a type the passthrough only counts, or
 * undefined: the event is then parsed.
 */
export function readPlainResponsesEventSequence(data: string): number | undefined {
  if (data.length > MAX_FAST_PATH_LENGTH) return undefined;
  const match = PLAIN_RESPONSES_EVENT.exec(data);
  return match === null ? undefined : Number(match[1]);
}

/*
 * `response.created` and `response.in_progress` carry the whole response object (an
 * OpenAI-style host echoes the request's instructions and tools in it: tens of KiB for a coding
 * agent's turn). The passthrough needs that object only to write a `response.failed` if the
 * stream breaks, so it keeps the event's text and reads it then. RESPONSE_STATE_EVENT takes the
 * compact layout OpenAI and Alibaba write: `type` first, `response` (an object) second,
 * `sequence_number` last. Invariant defended here: for every valid JSON text without a repeated
 * member name that it accepts, the parse is an object of the captured type whose `response` is
 * an object and whose `sequence_number` is the captured number. Why: the first member follows
 * the opening brace and `"response":{` the first member's comma, so both are the top level's;
 * the text ends with the number and a brace, which can only close the top level, so
 * `sequence_number` is its last member. What lies between is not read (the `s` flag: any
 * character, line separators included). A text of that shape that is not JSON is taken too: it
 * is counted, and a failure then writes its `response.failed` without a response from it
 * (readStartedResponse).
 */
const RESPONSE_STATE_EVENT = new RegExp(
  String.raw`^\{"type":"response\.(?:created|in_progress)","response":\{.*\},"sequence_number":(${NUMBER})\}$`,
  's',
);

/**
 * The sequence_number of a `response.created` or `response.in_progress` event in the layout
 * above, or undefined: the event is then parsed.
 */
export function readResponseStateEventSequence(data: string): number | undefined {
  const match = RESPONSE_STATE_EVENT.exec(data);
  return match === null ? undefined : Number(match[1]);
}
