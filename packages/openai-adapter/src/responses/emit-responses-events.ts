import { isStringifiedSpelling, parseTextString } from '../stream/scan-plain-delta-chunk';
import {
  convertToolCallToOutputItem,
  createFallbackCallId,
} from './convert-tool-call-to-output-item';
import { convertUsageToResponseUsage } from './convert-usage-to-response-usage';
import {
  createOutputItemId,
  createResponseObject,
  mapFinishReasonToIncompleteReason,
} from './create-response-object';
import { formatRequestEchoMembers } from './format-request-echo';
import { formatResponseUsageJson } from './format-response-usage-json';
import { hasKeysInOrder } from './has-keys-in-order';
import type { ResponsesStreamTransformState } from './responses-stream-transform-state';
import type {
  ResponseContext,
  ResponseIncompleteReason,
  ResponseItemStatus,
  ResponseObject,
  ResponseOutputItem,
  ResponseOutputText,
  ResponseSummaryText,
  ResponseUsage,
} from './responses-types';

/*
 * The Responses event grammar (docs/plans-and-protocols.md §2.3), one function per step, each returning SSE text and advancing
 * `sequence_number`. Invariants: every event has a larger sequence_number than the one before;
 * an item is announced (output_item.added) before any of its deltas and closed
 * (output_item.done) exactly once; at most one message or reasoning item is open at a time.
 */

/** One SSE event: `event: <type>` plus the JSON payload with `type` first and `sequence_number` last. */
export function formatResponsesEvent({
  state,
  type,
  fields,
}: {
  state: ResponsesStreamTransformState;
  type: string;
  fields: Record<string, unknown>;
}): string {
  const payload = { type, ...fields, sequence_number: state.sequenceNumber };
  state.sequenceNumber++;
  return `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** response.created + response.in_progress, once per stream. */
export function emitStart(state: ResponsesStreamTransformState): string {
  if (state.started) return '';
  state.started = true;
  // the same object twice (it echoes the request: instructions, tools): serialised once
  const responseJson = formatResponseJson({
    state,
    status: 'in_progress',
    outputJson: '[]',
    usage: null,
  });
  return (
    formatResponseEvent({ state, type: 'response.created', responseJson }) +
    formatResponseEvent({ state, type: 'response.in_progress', responseJson })
  );
}

/**
 * An event whose only field is the response object, from its JSON text: byte for byte what
 * formatResponsesEvent gives for `{ response }` (`type` first, then `response`, then
 * `sequence_number`; the tests hold it to that). `type` is one of the protocol's event names.
 */
export function formatResponseEvent({
  state,
  type,
  responseJson,
}: {
  state: ResponsesStreamTransformState;
  type: string;
  responseJson: string;
}): string {
  return formatMembersEvent({ state, type, members: `"response":${responseJson}` });
}

/** Appends text to the open item of `kind`, opening it (and closing another) first if needed. */
export function emitTextDelta({
  state,
  kind,
  delta,
  deltaJson,
}: {
  state: ResponsesStreamTransformState;
  kind: 'message' | 'reasoning';
  delta: string;
  /** `JSON.stringify(delta)`, when the caller has it (emitTextDeltaJson) */
  deltaJson?: string | undefined;
}): string {
  let text = '';
  let item = state.output[state.openItemIndex];
  if (item?.type !== kind) {
    text += emitCloseOpenItem({ state, status: 'completed' });
    text += openTextItem({ state, kind });
    item = state.output[state.openItemIndex];
  }
  if (item?.type !== 'message' && item?.type !== 'reasoning') return text;
  const part = partsOf(item)[0];
  if (part) part.text += delta;
  // the open item's ids, kept as it opened (a state of an older build has none)
  state.openItemIds ??= formatItemIds({
    idJson: JSON.stringify(item.id),
    outputIndex: state.openItemIndex,
  });
  return (
    text +
    formatTextDeltaText({
      state,
      kind,
      ids: state.openItemIds,
      deltaJson: deltaJson ?? JSON.stringify(delta),
    })
  );
}

/**
 * emitTextDelta for a delta given as its JSON text, a string literal as TEXT_STRING in
 * scan-plain-delta-chunk admits (matchQwenDeltaChunk's groups 1 and 2): the event writes the text
 * as it came when it is what JSON.stringify would write (isStringifiedSpelling), and it is
 * parsed only when it has an escape.
 */
export function emitTextDeltaJson({
  state,
  kind,
  json,
}: {
  state: ResponsesStreamTransformState;
  kind: 'message' | 'reasoning';
  json: string;
}): string {
  return emitTextDelta({
    state,
    kind,
    delta: parseTextString(json),
    deltaJson: isStringifiedSpelling(json) ? json : undefined,
  });
}

// `"item_id":…,"output_index":…`, as the item's events start
function formatItemIds({ idJson, outputIndex }: { idJson: string; outputIndex: number }): string {
  return `"item_id":${idJson},"output_index":${outputIndex}`;
}

/**
 * The event of every streamed token (`response.output_text.delta` of a message,
 * `response.reasoning_summary_text.delta` of a reasoning item) built as text: byte for byte what
 * formatResponsesEvent gives for the same fields (the tests hold it to that), without building
 * and serialising an object per token. `outputIndex` is an integer.
 */
export function formatTextDeltaEvent({
  state,
  kind,
  itemId,
  outputIndex,
  delta,
}: {
  state: ResponsesStreamTransformState;
  kind: 'message' | 'reasoning';
  itemId: string;
  outputIndex: number;
  delta: string;
}): string {
  return formatTextDeltaText({
    state,
    kind,
    ids: formatItemIds({ idJson: JSON.stringify(itemId), outputIndex }),
    deltaJson: JSON.stringify(delta),
  });
}

// formatTextDeltaEvent from the item's ids text (formatItemIds)
function formatTextDeltaText({
  state,
  kind,
  ids,
  deltaJson,
}: {
  state: ResponsesStreamTransformState;
  kind: 'message' | 'reasoning';
  ids: string;
  deltaJson: string;
}): string {
  // one template per kind, not formatMembersEvent: this is the per-token path, and a whole
  // literal template measured 7 % faster on a long stream than assembling it from members
  const sequenceNumber = state.sequenceNumber;
  state.sequenceNumber++;
  return kind === 'message'
    ? `event: response.output_text.delta\ndata: {"type":"response.output_text.delta",${ids},"content_index":0,"delta":${deltaJson},"logprobs":[],"sequence_number":${sequenceNumber}}\n\n`
    : `event: response.reasoning_summary_text.delta\ndata: {"type":"response.reasoning_summary_text.delta",${ids},"summary_index":0,"delta":${deltaJson},"sequence_number":${sequenceNumber}}\n\n`;
}

/**
 * Closes the open message or reasoning item, if any, with its `.done` events: byte for byte what
 * formatResponsesEvent gives for their fields (the tests hold it to that), built as text.
 */
export function emitCloseOpenItem({
  state,
  status,
}: {
  state: ResponsesStreamTransformState;
  status: ResponseItemStatus;
}): string {
  const outputIndex = state.openItemIndex;
  const item = state.output[outputIndex];
  const openItemIds = state.openItemIds;
  state.openItemIndex = -1;
  state.openItemIds = undefined;
  if (item?.type !== 'message' && item?.type !== 'reasoning') return '';
  // a message takes the closing status; a reasoning item keeps the one it has (none)
  if (item.type === 'message') item.status = status;
  const events = TEXT_ITEM_EVENTS[item.type];
  const parts = partsOf(item);
  const part = parts[0] ?? events.createPart();
  // item_id, output_index and content_index (summary_index), as the three events start
  const idJson = JSON.stringify(item.id);
  const ids = `${openItemIds ?? formatItemIds({ idJson, outputIndex })},"${events.partIndexField}":0`;
  // the text (all of the answer so far) is serialised once, for the three places it appears
  const text = JSON.stringify(part.text);
  const partJson = formatPartJson({ part, text });
  const itemJson =
    parts.length === 1 ? formatTextItemJson({ item, idJson, partJson }) : JSON.stringify(item);
  keepItemJson({ state, outputIndex, itemJson });
  return (
    formatMembersEvent({
      state,
      type: events.textDone,
      members:
        item.type === 'message' ? `${ids},"text":${text},"logprobs":[]` : `${ids},"text":${text}`,
    }) +
    formatMembersEvent({
      state,
      type: events.partDone,
      members: `${ids},"part":${partJson}`,
    }) +
    formatMembersEvent({
      state,
      type: 'response.output_item.done',
      members: `"output_index":${outputIndex},"item":${itemJson}`,
    })
  );
}

// a part as JSON.stringify writes it, from its text's JSON: the two shapes createPart makes (only
// their text changes); any other shape is serialised
function formatPartJson({ part, text }: { part: TextPart; text: string }): string {
  if (part.type === 'output_text') {
    if (hasKeysInOrder(part, OUTPUT_TEXT_KEYS) && part.annotations.length === 0) {
      return `{"type":"output_text","text":${text},"annotations":[]}`;
    }
  } else if (hasKeysInOrder(part, SUMMARY_TEXT_KEYS)) {
    return `{"type":"summary_text","text":${text}}`;
  }
  return JSON.stringify(part);
}

// a message or reasoning item with its one part, as JSON.stringify writes it: the shapes
// openTextItem makes (a message's status set); any other shape is serialised
function formatTextItemJson({
  item,
  idJson,
  partJson,
}: {
  item: TextItem;
  idJson: string;
  partJson: string;
}): string {
  if (item.type === 'message') {
    return hasKeysInOrder(item, MESSAGE_KEYS)
      ? `{"type":"message","id":${idJson},"status":"${item.status}","role":"assistant","content":[${partJson}]}`
      : JSON.stringify(item);
  }
  return hasKeysInOrder(item, REASONING_KEYS)
    ? `{"type":"reasoning","id":${idJson},"summary":[${partJson}]}`
    : JSON.stringify(item);
}

// the members, in order, of the parts and items openTextItem makes
const OUTPUT_TEXT_KEYS = ['type', 'text', 'annotations'] as const;
const SUMMARY_TEXT_KEYS = ['type', 'text'] as const;
const MESSAGE_KEYS = ['type', 'id', 'status', 'role', 'content'] as const;
const REASONING_KEYS = ['type', 'id', 'summary'] as const;

/**
 * The gathered tool calls, in the upstream's index order, each as one complete item: added,
 * its arguments (or freeform input) as one delta, done. `status` is `incomplete` when the
 * upstream stopped early (length, content filter): such calls are never reported complete.
 */
export function emitToolCalls({
  state,
  status,
}: {
  state: ResponsesStreamTransformState;
  status: ResponseItemStatus;
}): string {
  let text = '';
  const calls = [...state.toolCalls].sort((a, b) => a.index - b.index);
  state.toolCalls = [];
  calls.forEach((call, position) => {
    const outputIndex = state.output.length;
    const item = convertToolCallToOutputItem({
      context: state.context,
      outputIndex,
      callId:
        call.id !== ''
          ? call.id
          : createFallbackCallId({ context: state.context, toolCallIndex: position }),
      name: call.name,
      args: call.arguments,
      status,
    });
    state.output.push(item);
    const ids = { item_id: item.id, output_index: outputIndex };
    if (item.type === 'custom_tool_call' || item.type === 'function_call') {
      const events = TOOL_CALL_EVENTS[item.type];
      const value = item.type === 'custom_tool_call' ? item.input : item.arguments;
      text += formatResponsesEvent({
        state,
        type: 'response.output_item.added',
        fields: {
          output_index: outputIndex,
          item: { ...item, status: 'in_progress', [events.valueField]: '' },
        },
      });
      if (value !== '') {
        text += formatResponsesEvent({
          state,
          type: events.delta,
          fields: { ...ids, delta: value },
        });
      }
      text += formatResponsesEvent({
        state,
        type: events.done,
        fields: { ...ids, [events.valueField]: value },
      });
    }
    const itemJson = JSON.stringify(item);
    keepItemJson({ state, outputIndex, itemJson });
    text += formatMembersEvent({
      state,
      type: 'response.output_item.done',
      members: `"output_index":${outputIndex},"item":${itemJson}`,
    });
  });
  return text;
}

/**
 * The normal end: open items closed, gathered calls emitted, then `response.completed` or, for
 * `length` / `content_filter`, `response.incomplete` with its reason. Works with or without a
 * finish reason (an upstream that ends with `[DONE]` but never sent one still completes).
 */
export function emitFinish(state: ResponsesStreamTransformState): string {
  const incompleteReason = mapFinishReasonToIncompleteReason(state.finishReason);
  const status: ResponseItemStatus = incompleteReason === undefined ? 'completed' : 'incomplete';
  let text = emitStart(state);
  text += emitCloseOpenItem({ state, status });
  text += emitToolCalls({ state, status });
  const usage = state.usage ? convertUsageToResponseUsage(state.usage) : null;
  state.finished = 'done';
  if (state.keepFinalResponse === true) {
    const response = createResponseObject({
      context: state.context,
      status,
      output: state.output,
      usage,
      ...(incompleteReason === undefined ? {} : { incompleteReason }),
    });
    state.finalResponse = structuredClone({ ...response });
  }
  // every item is closed by now, and each was serialised as it closed
  const responseJson = formatResponseJson({
    state,
    status,
    outputJson: formatOutputJson(state),
    usage,
    ...(incompleteReason === undefined ? {} : { incompleteReason }),
  });
  return (
    text +
    formatResponseEvent({
      state,
      type: incompleteReason === undefined ? 'response.completed' : 'response.incomplete',
      responseJson,
    })
  );
}

/**
 * The response object's JSON text: byte for byte `JSON.stringify(createResponseObject(…))` for
 * the same fields (the tests hold it to that), with `output` given as its JSON text. The request
 * echo, which repeats the client's instructions and tools (tens of KB for a coding agent), is
 * serialised once per stream and kept on the state, not once per response event.
 */
export function formatResponseJson({
  state,
  status,
  outputJson,
  usage,
  incompleteReason,
}: {
  state: ResponsesStreamTransformState;
  status: ResponseObject['status'];
  outputJson: string;
  usage: ResponseUsage | null;
  incompleteReason?: ResponseIncompleteReason;
}): string {
  const { context } = state;
  state.responseJsonParts ??= formatResponseJsonParts(context);
  const parts = state.responseJsonParts;
  if (parts === false) {
    const output: ResponseOutputItem[] = JSON.parse(outputJson);
    return JSON.stringify(
      createResponseObject({
        context,
        status,
        output,
        usage,
        ...(incompleteReason === undefined ? {} : { incompleteReason }),
      }),
    );
  }
  const incomplete = incompleteReason === undefined ? 'null' : `{"reason":"${incompleteReason}"}`;
  const usageJson = usage === null ? 'null' : formatResponseUsageJson(usage);
  return `${parts[0]}"status":"${status}","error":null,"incomplete_details":${incomplete},${parts[1]}${outputJson},"truncation":"disabled","usage":${usageJson}}`;
}

/**
 * The response object's JSON text around what changes between its events, the same for every
 * event of the stream: the text before `"status"` (id, object, created_at), and the text from
 * the request echo's members to `"output":` (the members createResponseObject spreads between its
 * own, then model). False when a member of the echo would replace one of the response's own (its
 * value would then sit in the own member's place): the object is serialised instead.
 */
function formatResponseJsonParts(context: ResponseContext): [string, string] | false {
  const { echo } = context;
  for (const key of RESPONSE_OWN_MEMBERS) if (Object.hasOwn(echo, key)) return false;
  const echoMembers = formatRequestEchoMembers(echo);
  return [
    `{"id":${JSON.stringify(context.responseId)},"object":"response","created_at":${JSON.stringify(context.createdAtInSeconds)},`,
    `${echoMembers === '' ? '' : `${echoMembers},`}"model":${JSON.stringify(context.clientModel)},"output":`,
  ];
}

const RESPONSE_OWN_MEMBERS = [
  'id',
  'object',
  'created_at',
  'status',
  'error',
  'incomplete_details',
  'model',
  'output',
  'truncation',
  'usage',
] as const;

// the output's JSON: the items' texts kept as they closed, or (an item without one, from a state
// of an older build) the output serialised
function formatOutputJson(state: ResponsesStreamTransformState): string {
  const { output, outputJson } = state;
  if (outputJson === undefined || outputJson.length !== output.length) {
    return JSON.stringify(output);
  }
  let text = '[';
  for (let index = 0; index < outputJson.length; index++) {
    const itemJson = outputJson[index];
    if (itemJson === undefined) return JSON.stringify(output);
    text += index === 0 ? itemJson : `,${itemJson}`;
  }
  return `${text}]`;
}

// an item is final once closed: its JSON text is kept for the terminal response
function keepItemJson({
  state,
  outputIndex,
  itemJson,
}: {
  state: ResponsesStreamTransformState;
  outputIndex: number;
  itemJson: string;
}): void {
  state.outputJson ??= [];
  state.outputJson[outputIndex] = itemJson;
}

/**
 * A failed stream: `error`, then `response.failed` with what was announced so far (the open item
 * marked incomplete; gathered calls were never announced and are not reported as done).
 */
export function emitFailure({
  state,
  error,
}: {
  state: ResponsesStreamTransformState;
  error: { message: string; type: string; code: string | null; param?: string | null };
}): string {
  let text = emitStart(state);
  const open = state.output[state.openItemIndex];
  if (open?.type === 'message') open.status = 'incomplete';
  if (open?.type === 'reasoning') open.status = 'incomplete';
  state.openItemIndex = -1;
  state.openItemIds = undefined;
  state.toolCalls = [];
  const code = error.code ?? error.type;
  text += formatResponsesEvent({
    state,
    type: 'error',
    fields: { code, message: error.message, param: error.param ?? null },
  });
  const response: ResponseObject = createResponseObject({
    context: state.context,
    status: 'failed',
    output: state.output,
    usage: state.usage ? convertUsageToResponseUsage(state.usage) : null,
    error: { code, message: error.message },
  });
  text += formatResponsesEvent({ state, type: 'response.failed', fields: { response } });
  state.finished = 'upstream-error';
  return text;
}

// announced empty (output_item.added), then given its one part (the part's `.added`); the two
// events built as text, byte for byte what formatResponsesEvent gives for their fields
function openTextItem({
  state,
  kind,
}: {
  state: ResponsesStreamTransformState;
  kind: TextItem['type'];
}): string {
  const outputIndex = state.output.length;
  state.openItemIndex = outputIndex;
  const events = TEXT_ITEM_EVENTS[kind];
  const id = createOutputItemId({ context: state.context, prefix: events.idPrefix, outputIndex });
  const item: TextItem =
    kind === 'message'
      ? { type: 'message', id, status: 'in_progress', role: 'assistant', content: [] }
      : { type: 'reasoning', id, summary: [] };
  // the item as JSON.stringify writes it, still without its part
  const idJson = JSON.stringify(id);
  const itemJson =
    kind === 'message'
      ? `{"type":"message","id":${idJson},"status":"in_progress","role":"assistant","content":[]}`
      : `{"type":"reasoning","id":${idJson},"summary":[]}`;
  const added = formatMembersEvent({
    state,
    type: 'response.output_item.added',
    members: `"output_index":${outputIndex},"item":${itemJson}`,
  });
  partsOf(item).push(events.createPart());
  state.output.push(item);
  const ids = formatItemIds({ idJson, outputIndex });
  state.openItemIds = ids;
  return (
    added +
    formatMembersEvent({
      state,
      type: events.partAdded,
      members: `${ids},"${events.partIndexField}":0,"part":${events.emptyPartJson}`,
    })
  );
}

/**
 * `event: <type>` and `{"type":"<type>",<members>,"sequence_number":<n>}`: what
 * formatResponsesEvent writes for fields whose JSON members are `members`, for every event built
 * as text. `type` is one of the protocol's event names (ASCII letters, dots and underscores:
 * nothing to escape).
 */
function formatMembersEvent({
  state,
  type,
  members,
}: {
  state: ResponsesStreamTransformState;
  type: string;
  members: string;
}): string {
  const sequenceNumber = state.sequenceNumber;
  state.sequenceNumber++;
  return `event: ${type}\ndata: {"type":"${type}",${members},"sequence_number":${sequenceNumber}}\n\n`;
}

type TextItem = Extract<ResponseOutputItem, { type: 'message' | 'reasoning' }>;
type TextPart = ResponseOutputText | ResponseSummaryText;

// a message's parts are `content`, a reasoning item's `summary` (each has its one part of the right type)
function partsOf(item: TextItem): TextPart[] {
  return item.type === 'message' ? item.content : item.summary;
}

/** What tells a message item's events from a reasoning item's: the grammar is the same. */
const TEXT_ITEM_EVENTS = {
  message: {
    idPrefix: 'msg',
    partIndexField: 'content_index',
    createPart: (): TextPart => ({ type: 'output_text', text: '', annotations: [] }),
    emptyPartJson: '{"type":"output_text","text":"","annotations":[]}',
    partAdded: 'response.content_part.added',
    textDone: 'response.output_text.done',
    partDone: 'response.content_part.done',
  },
  reasoning: {
    idPrefix: 'rs',
    partIndexField: 'summary_index',
    createPart: (): TextPart => ({ type: 'summary_text', text: '' }),
    emptyPartJson: '{"type":"summary_text","text":""}',
    partAdded: 'response.reasoning_summary_part.added',
    textDone: 'response.reasoning_summary_text.done',
    partDone: 'response.reasoning_summary_part.done',
  },
} as const;

/** What tells a freeform (custom) tool call's events from a function call's: its value's field. */
const TOOL_CALL_EVENTS = {
  custom_tool_call: {
    valueField: 'input',
    delta: 'response.custom_tool_call_input.delta',
    done: 'response.custom_tool_call_input.done',
  },
  function_call: {
    valueField: 'arguments',
    delta: 'response.function_call_arguments.delta',
    done: 'response.function_call_arguments.done',
  },
} as const;
