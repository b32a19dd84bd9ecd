import { convertErrorToOpenAIError } from '../errors/convert-error-to-openai-error';
import { StreamTruncatedError } from '../errors/stream-truncated-error';
import type { SseEventParserState } from '../sse/parse-sse-line';
import { parseSseLine } from '../sse/parse-sse-line';
import type { LineSplitterState } from '../sse/split-sse-lines';
import { flushSseLines, splitSseLines } from '../sse/split-sse-lines';
import { assertStreamStateVersion } from '../stream/assert-stream-state-version';
import {
  DEFAULT_MAX_SSE_LINE_BYTES,
  type StreamFailure,
  type StreamSummary,
} from '../stream/chat-stream-transform-state';
import { createStreamSummary } from '../stream/create-stream-summary';
import { encodeStreamText } from '../stream/encode-stream-text';
import type { RestoreOptions } from '../stream/restore-options';
import { isPlainObject } from '../validation/field-checks';
import { convertResponseUsageToUsage } from './convert-response-usage-to-usage';
import {
  readPlainResponsesEventSequence,
  readResponseStateEventSequence,
} from './read-plain-responses-event';

/**
 * State of a native Responses stream passed through: the bytes go out unchanged; the events are
 * only read to know the last sequence_number, the response so far and whether a terminal event
 * came, so a stream that breaks can still end the Responses way.
 */
export interface ResponsesPassthroughState extends LineSplitterState, SseEventParserState {
  kind: 'responses-passthrough';
  version: 1;
  maxLineBytes: number;
  /** the last sequence_number seen (-1 before any) */
  lastSequenceNumber: number;
  /** the response of response.created / in_progress, for response.failed */
  response: Record<string, unknown> | null;
  /**
   * the text of the last response.created / in_progress event whose response is not read yet
   * (readResponseStateEventSequence): read into `response` when a failure needs it
   */
  responseEventData?: string | null;
  chunkCount: number;
  finished: 'done' | 'upstream-error' | null;
  /** the upstream sent `response.failed` (after an `error` event it may not) */
  failedSent?: boolean;
  usage: StreamSummary['usage'] | null;
  /** the model the upstream's terminal response named (for traces) */
  upstreamModel?: string;
  error: StreamSummary['error'] | null;
  /** report the terminal response object in the summary (for `store: true`) */
  keepFinalResponse?: boolean;
  /** the upstream's terminal response object, when `keepFinalResponse` is set */
  finalResponse?: Record<string, unknown>;
}

/** The passthrough transform: same interface as the others, output = input. */
export interface ResponsesPassthroughTransform {
  transform(bytes: Uint8Array): Uint8Array;
  /** {@link transform}: the bytes go through as they came */
  transformForWrite(bytes: Uint8Array): Uint8Array;
  end(options?: { failure?: StreamFailure }): { bytes: Uint8Array; summary: StreamSummary };
  getState(): ResponsesPassthroughState;
}

const TERMINAL_TYPES = new Set(['response.completed', 'response.incomplete']);

/** Options of a fresh passthrough stream. */
export interface ResponsesPassthroughOptions {
  maxLineBytes?: number;
  /** report the upstream's terminal response object in the summary (`summary.response`) */
  keepFinalResponse?: boolean;
}

/**
 * The state a passthrough stream starts from, built fresh: what a runner is handed to start a
 * stream with, without making a transform and copying its state.
 */
export function createResponsesPassthroughState({
  maxLineBytes = DEFAULT_MAX_SSE_LINE_BYTES,
  keepFinalResponse = false,
}: ResponsesPassthroughOptions = {}): ResponsesPassthroughState {
  return {
    ...(keepFinalResponse ? { keepFinalResponse } : {}),
    kind: 'responses-passthrough',
    version: 1,
    maxLineBytes,
    pendingLineBytes: null,
    skipLeadingLf: false,
    eventData: null,
    eventType: null,
    lastSequenceNumber: -1,
    response: null,
    responseEventData: null,
    chunkCount: 0,
    finished: null,
    usage: null,
    error: null,
  };
}

/** Fresh passthrough stream. */
export function createResponsesPassthroughTransform(
  options: ResponsesPassthroughOptions = {},
): ResponsesPassthroughTransform {
  return wrapState(createResponsesPassthroughState(options));
}

/** Continues a passthrough stream from its state (e.g. in a worker). */
export function restoreResponsesPassthroughTransform(
  state: ResponsesPassthroughState,
  { adopt = false }: RestoreOptions = {},
): ResponsesPassthroughTransform {
  assertStreamStateVersion({
    state,
    kind: 'responses-passthrough',
    typeName: 'ResponsesPassthroughState',
  });
  return wrapState(adopt ? state : structuredClone(state));
}

function wrapState(state: ResponsesPassthroughState): ResponsesPassthroughTransform {
  const observe = (line: string): boolean => {
    const event = parseSseLine({ state, line });
    if (event) observeEvent({ state, data: event.data });
    return true;
  };
  const transform = (bytes: Uint8Array): Uint8Array => {
    // every read is observed, also after a terminal event: what the upstream sends after its
    // `error` (its own `response.failed`) must count however the reads fall
    try {
      splitSseLines({ state, bytes, maxLineBytes: state.maxLineBytes, onLine: observe });
    } catch {
      // an oversized line is the upstream's business here: the bytes still go through
      state.pendingLineBytes = null;
    }
    return bytes;
  };
  return {
    transform,
    transformForWrite: transform,
    end({ failure } = {}) {
      flushSseLines({ state, onLine: observe });
      let text = '';
      let failureReported = false;
      if (state.finished === 'upstream-error' && state.failedSent !== true && state.error) {
        // an upstream `error` event without its `response.failed`: the client still gets the
        // terminal event the Responses API promises
        text = formatFailure({
          state,
          failure: {
            message: state.error.message,
            type: state.error.type ?? 'upstream_error',
            code: state.error.code ?? null,
          },
          withErrorEvent: false,
        });
      } else if (state.finished === null) {
        const reported = failure ?? readFailure();
        text = formatFailure({ state, failure: reported });
        state.error = { message: reported.message, type: reported.type };
        if (reported.code !== null) state.error.code = reported.code;
        if (reported.relayCode !== undefined) state.error.relayCode = reported.relayCode;
        failureReported = true;
      }
      // a native stream's `[DONE]` is its terminal event
      const summary = createStreamSummary({
        state,
        sawDone: state.finished === 'done',
        failureReported,
      });
      return { bytes: encodeStreamText(text), summary };
    },
    getState() {
      return structuredClone(state);
    },
  };
}

function observeEvent({ state, data }: { state: ResponsesPassthroughState; data: string }): void {
  // a delta or another event that is only counted: what the rest of this function does with
  // it, without parsing it (the tests hold the two to the same state). A type this function
  // comes to act on must join the reader's NOTED_TYPES
  const sequenceNumber = readPlainResponsesEventSequence(data);
  if (sequenceNumber !== undefined) {
    state.chunkCount++;
    state.lastSequenceNumber = sequenceNumber;
    return;
  }
  // response.created / in_progress: counted now, their response read if a failure needs it
  const stateSequenceNumber = readResponseStateEventSequence(data);
  if (stateSequenceNumber !== undefined) {
    state.chunkCount++;
    state.lastSequenceNumber = stateSequenceNumber;
    state.responseEventData = data;
    return;
  }
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    return;
  }
  if (!isPlainObject(event)) return;
  state.chunkCount++;
  if (typeof event.sequence_number === 'number') state.lastSequenceNumber = event.sequence_number;
  const response = isPlainObject(event.response) ? event.response : undefined;
  if (event.type === 'response.created' || event.type === 'response.in_progress') {
    if (response) {
      state.response = { ...response, output: [] };
      // a later event's response replaces a kept one's
      state.responseEventData = null;
    }
  } else if (typeof event.type === 'string' && TERMINAL_TYPES.has(event.type)) {
    state.finished = 'done';
    const usage = isPlainObject(response?.usage) ? response.usage : undefined;
    if (usage) state.usage = convertResponseUsageToUsage(usage) ?? null;
    if (typeof response?.model === 'string') state.upstreamModel = response.model;
    if (state.keepFinalResponse === true && response) state.finalResponse = response;
  } else if (event.type === 'response.failed' || event.type === 'error') {
    state.finished = 'upstream-error';
    if (event.type === 'response.failed') state.failedSent = true;
    const error = isPlainObject(event.error)
      ? event.error
      : isPlainObject(response?.error)
        ? response.error
        : event;
    state.error = {
      message: typeof error.message === 'string' ? error.message : 'upstream reported an error',
      type: 'upstream_error',
    };
    if (typeof error.code === 'string') state.error.code = error.code;
  }
}

// the stream broke before a terminal event: end it as the Responses API does, continuing the numbering
function formatFailure({
  state,
  failure,
  withErrorEvent = true,
}: {
  state: ResponsesPassthroughState;
  failure: StreamFailure;
  /** false when the upstream already sent its `error` event */
  withErrorEvent?: boolean;
}): string {
  const code = failure.code ?? failure.type;
  let sequenceNumber = state.lastSequenceNumber + 1;
  const line = (type: string, fields: Record<string, unknown>): string => {
    const payload = { type, ...fields, sequence_number: sequenceNumber++ };
    return `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`;
  };
  // a half-written event of the upstream must not swallow ours: close it with a blank line
  const separator = state.eventData !== null || state.pendingLineBytes !== null ? '\n\n' : '';
  const response = {
    ...(readStartedResponse(state) ?? {}),
    status: 'failed',
    error: { code, message: failure.message },
  };
  state.finished = 'upstream-error';
  return (
    separator +
    (withErrorEvent ? line('error', { code, message: failure.message, param: null }) : '') +
    line('response.failed', { response })
  );
}

/**
 * The response the stream started with (its last response.created / in_progress), for a
 * `response.failed`: a kept event's text is parsed now, once. When it does not parse to an
 * event with a response object (a malformed text of the kept layout), `response` stays what it
 * was: the last started response that came in another layout and was parsed, or none.
 */
function readStartedResponse(state: ResponsesPassthroughState): Record<string, unknown> | null {
  const data = state.responseEventData;
  if (data === undefined || data === null) return state.response;
  state.responseEventData = null;
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    return state.response;
  }
  if (isPlainObject(event) && isPlainObject(event.response)) {
    state.response = { ...event.response, output: [] };
  }
  return state.response;
}

function readFailure(): StreamFailure {
  const { body } = convertErrorToOpenAIError(new StreamTruncatedError());
  return {
    message: body.error.message,
    type: body.error.type,
    code: body.error.code,
    relayCode: 'QWEN_RELAY_STREAM_TRUNCATED',
  };
}
