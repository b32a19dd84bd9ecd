import { hasKeysInOrder } from './has-keys-in-order';
import type { ResponsesRequestEcho } from './responses-types';

/*
 * The request echo's members as JSON text, as JSON.stringify writes them (without the braces),
 * for the response object every Responses stream sends three times. An echo is made by
 * createRequestEcho with the same thirteen members in the same order, most of them null, empty
 * or a default: written member by member from a template, that costs a fifth of a JSON.stringify
 * of the object (0.22 against 0.98 µs on Node 20). An echo of any other shape is serialised
 * whole. The tests hold both to JSON.stringify.
 */

const ECHO_KEYS = [
  'instructions',
  'max_output_tokens',
  'metadata',
  'parallel_tool_calls',
  'previous_response_id',
  'reasoning',
  'store',
  'temperature',
  'text',
  'tool_choice',
  'tools',
  'top_p',
  'user',
] as const;
const REASONING_KEYS = ['effort', 'summary'] as const;
const TEXT_KEYS = ['format'] as const;
const FORMAT_KEYS = ['type'] as const;
const NO_KEYS = [] as const;
const DEFAULT_TEXT_JSON = '{"format":{"type":"text"}}';

/*
 * `"instructions":`, then `,"max_output_tokens":` and so on: each member's text before its value.
 * The members are joined from these and the values in one step. Concatenated, they were some fifty
 * small strings linked by V8 (a cons string), which Node walks piece by piece each time it writes
 * a text holding them, three times per stream; a joined string is one run of characters.
 */
const ECHO_MEMBER_NAMES = ECHO_KEYS.map((key, index) => `${index === 0 ? '' : ','}"${key}":`);

/** The members of `JSON.stringify(echo)`, without its braces ('' for none). */
export function formatRequestEchoMembers(echo: ResponsesRequestEcho): string {
  const members = hasKeysInOrder(echo, ECHO_KEYS) ? formatKnownEcho(echo) : undefined;
  if (members !== undefined) return members;
  const json = JSON.stringify(echo);
  return json.slice(1, -1);
}

// the template, or undefined when a value is one JSON.stringify would leave out (undefined, a
// function, a symbol): its member would then be missing
function formatKnownEcho(echo: ResponsesRequestEcho): string | undefined {
  const { reasoning, text } = echo;
  const values = [
    formatValue(echo.instructions),
    formatValue(echo.max_output_tokens),
    formatObjectValue(echo.metadata),
    formatValue(echo.parallel_tool_calls),
    formatValue(echo.previous_response_id),
    hasKeysInOrder(reasoning, REASONING_KEYS)
      ? joinMembers(formatValue(reasoning.effort), formatValue(reasoning.summary))
      : formatValue(reasoning),
    formatValue(echo.store),
    formatValue(echo.temperature),
    isDefaultText(text) ? DEFAULT_TEXT_JSON : formatValue(text),
    formatValue(echo.tool_choice),
    Array.isArray(echo.tools) && echo.tools.length === 0 ? '[]' : formatValue(echo.tools),
    formatValue(echo.top_p),
    formatValue(echo.user),
  ];
  if (values.includes(undefined)) return undefined;
  // joined, not concatenated: one flat string (see ECHO_MEMBER_NAMES)
  const pieces: string[] = new Array(2 * ECHO_KEYS.length);
  for (let index = 0; index < ECHO_KEYS.length; index++) {
    pieces[2 * index] = ECHO_MEMBER_NAMES[index] as string;
    pieces[2 * index + 1] = values[index] as string;
  }
  return pieces.join('');
}

// `{"effort":…,"summary":…}` from the two values' JSON
function joinMembers(effort: string | undefined, summary: string | undefined): string | undefined {
  return effort === undefined || summary === undefined
    ? undefined
    : `{"effort":${effort},"summary":${summary}}`;
}

// a value's JSON text (undefined where JSON.stringify would leave its member out)
function formatValue(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  return JSON.stringify(value);
}

// `{}` for an object literal without members, else the value's JSON text
function formatObjectValue(value: unknown): string | undefined {
  return hasKeysInOrder(value, NO_KEYS) ? '{}' : formatValue(value);
}

// `{ format: { type: 'text' } }` and nothing else
function isDefaultText(text: unknown): boolean {
  if (!hasKeysInOrder(text, TEXT_KEYS)) return false;
  const { format } = text;
  return hasKeysInOrder(format, FORMAT_KEYS) && format.type === 'text';
}
