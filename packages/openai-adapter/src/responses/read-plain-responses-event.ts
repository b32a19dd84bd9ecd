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
