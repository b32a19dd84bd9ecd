import { isQwenRelayError } from '@qwen-relay/contracts';
import { convertErrorToOpenAIError } from '../errors/convert-error-to-openai-error';
import { MalformedUpstreamResponseError } from '../errors/malformed-upstream-response-error';
import { StreamTruncatedError } from '../errors/stream-truncated-error';
import {
  convertErrorFinish,
  convertUpstreamErrorObject,
} from '../mapping/convert-upstream-error-object';
import { convertUsage } from '../mapping/convert-usage';
import { dispatchSseEvent, parseSseLine, type SseEvent } from '../sse/parse-sse-line';
import { flushSseLines, splitSseLines } from '../sse/split-sse-lines';
import type { StreamFailure, StreamSummary } from '../stream/chat-stream-transform-state';
import { flushToolCallRepair, repairToolCallChunk } from '../stream/repair-tool-call-chunk';
import { isPlainObject } from '../validation/field-checks';
import {
  emitCloseOpenItem,
  emitFailure,
  emitFinish,
  emitStart,
  emitTextDelta,
} from './emit-responses-events';
import {
  cloneResponsesStreamTransformState,
  createResponsesStreamTransformState,
  type ResponsesStreamTransformState,
} from './responses-stream-transform-state';
import type { ResponseContext } from './responses-types';

/** Upstream Qwen chat SSE bytes in, OpenAI Responses SSE bytes out; restartable from its state. */
export interface ResponsesStreamTransform {
  /** Feeds one read (any split of the upstream bytes); returns the Responses events it completes. */
  transform(bytes: Uint8Array): Uint8Array;
  /**
   * Flushes what is buffered and ends the stream. An upstream that finished (`[DONE]` or a finish
   * reason) gets its terminal event; one that stopped early gets `error` + `response.failed`
   * built from `failure` (a truncation when absent), and `summary.failureReported` is set.
   */
  end(options?: { failure?: StreamFailure }): { bytes: Uint8Array; summary: StreamSummary };
  /** A structured-clone-able copy of the state, to continue elsewhere. */
  getState(): ResponsesStreamTransformState;
}

const encoder = new TextEncoder();

/**
 * Creates the transform for one stream of a Responses request served by chat completions; the
 * pitfalls other relays hit (docs/plans-and-protocols.md §2.4) are defended here: no finish
 * reason still completes, a premature end fails loudly, partial calls are never completed.
 */
export function createResponsesStreamTransform({
  context,
  maxLineBytes,
  keepFinalResponse = false,
}: {
  context: ResponseContext;
  maxLineBytes?: number;
  /** report the terminal response object in the summary (`summary.response`) */
  keepFinalResponse?: boolean;
}): ResponsesStreamTransform {
  return wrapState(
    createResponsesStreamTransformState({
      context,
      keepFinalResponse,
      ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
    }),
  );
}

/** Continues a stream from a state taken with getState (e.g. in another worker). */
export function restoreResponsesStreamTransform(
  state: ResponsesStreamTransformState,
): ResponsesStreamTransform {
  if (state?.kind !== 'responses' || state.version !== 1) {
    throw new TypeError('unsupported ResponsesStreamTransformState version');
  }
  return wrapState(cloneResponsesStreamTransformState(state));
}

function wrapState(state: ResponsesStreamTransformState): ResponsesStreamTransform {
  return {
    transform(bytes) {
      if (state.finished || bytes.length === 0) return new Uint8Array(0);
      let text = emitStart(state);
      try {
        splitSseLines({
          state,
          bytes,
          maxLineBytes: state.maxLineBytes,
          onLine: (line) => {
            text += handleLine({ state, line, atEnd: false });
            return state.finished === null;
          },
        });
      } catch (error) {
        text += fail({ state, error });
      }
      return encodeText(text);
    },
    end({ failure } = {}) {
      let text = '';
      let failureReported = false;
      if (!state.finished) {
        flushSseLines({
          state,
          onLine: (line) => {
            text += handleLine({ state, line, atEnd: true });
            return state.finished === null;
          },
        });
        const event = state.finished ? undefined : dispatchSseEvent(state);
        if (event) text += handleEvent({ state, event, atEnd: true });
      }
      if (!state.finished) {
        if (state.finishReason !== null) {
          // the model finished; only `[DONE]` (and maybe usage) went missing
          text += emitFinish(state);
        } else {
          const reported = failure ?? readFailure(new StreamTruncatedError());
          text += emitFailure({ state, error: reported });
          state.error = toSummaryError(reported);
          failureReported = true;
        }
      }
      const summary: StreamSummary = {
        // 'upstream-error': the upstream said so in-band and the client got it as `error` + `response.failed`
        endState: failureReported
          ? 'incomplete'
          : state.finished === 'done'
            ? 'done'
            : 'upstream-error',
        sawDone: state.sawDone,
        chunkCount: state.chunkCount,
      };
      if (state.usage) summary.usage = state.usage;
      if (state.upstreamModel !== null) summary.upstreamModel = state.upstreamModel;
      if (state.finishReason !== null) summary.finishReasons = [state.finishReason];
      if (state.error) summary.error = { ...state.error };
      if (failureReported) summary.failureReported = true;
      if (state.finalResponse !== undefined) summary.response = state.finalResponse;
      return { bytes: encodeText(text), summary };
    },
    getState() {
      return cloneResponsesStreamTransformState(state);
    },
  };
}

function handleLine({
  state,
  line,
  atEnd,
}: {
  state: ResponsesStreamTransformState;
  line: string;
  atEnd: boolean;
}): string {
  const event = parseSseLine({ state, line });
  return event ? handleEvent({ state, event, atEnd }) : '';
}

function handleEvent({
  state,
  event,
  atEnd,
}: {
  state: ResponsesStreamTransformState;
  event: SseEvent;
  atEnd: boolean;
}): string {
  const data = event.data.trim();
  if (data === '[DONE]') {
    state.sawDone = true;
    // calls still held by the repair stage (no finish reason came) are gathered, never dropped
    const flushed = flushToolCallRepair({ state, model: state.context.clientModel });
    const choice: unknown = Array.isArray(flushed?.choices) ? flushed.choices[0] : undefined;
    if (
      isPlainObject(choice) &&
      isPlainObject(choice.delta) &&
      Array.isArray(choice.delta.tool_calls)
    ) {
      gatherToolCallDeltas({ state, deltas: choice.delta.tool_calls });
    }
    return emitFinish(state);
  }
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    // a half event cut off by the end of the stream: the stream is simply incomplete
    if (atEnd) return '';
    return fail({
      state,
      error: new MalformedUpstreamResponseError({
        message: 'upstream sent an SSE event that is not JSON',
      }),
    });
  }
  if (!isPlainObject(chunk)) {
    return fail({
      state,
      error: new MalformedUpstreamResponseError({
        message: 'upstream sent an SSE event that is not an object',
      }),
    });
  }
  if (chunk.error !== undefined && chunk.error !== null) {
    return fail({ state, error: convertUpstreamErrorObject(chunk.error) });
  }
  if (event.type === 'error') return fail({ state, error: convertUpstreamErrorObject(chunk) });
  state.chunkCount++;
  return handleChunk({ state, chunk });
}

// one upstream chat.completion.chunk: reasoning and text stream through, tool calls go through
// the shared repair stage (the same ids and names chat would give) and are gathered
function handleChunk({
  state,
  chunk,
}: {
  state: ResponsesStreamTransformState;
  chunk: Record<string, unknown>;
}): string {
  let text = '';
  repairToolCallChunk({ chunk, state });
  if (typeof chunk.model === 'string' && chunk.model !== '') state.upstreamModel = chunk.model;
  const usage = convertUsage(chunk.usage);
  if (usage) state.usage = usage;
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  // one choice: n > 1 is refused at the door
  const choice: unknown = choices[0];
  if (!isPlainObject(choice)) return text;
  const delta = isPlainObject(choice.delta) ? choice.delta : undefined;
  if (choice.finish_reason === 'error_finish') {
    return fail({
      state,
      error: convertErrorFinish(typeof delta?.content === 'string' ? delta.content : ''),
    });
  }
  if (delta) {
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') {
      text += emitTextDelta({ state, kind: 'reasoning', delta: delta.reasoning_content });
    }
    if (typeof delta.content === 'string' && delta.content !== '') {
      text += emitTextDelta({ state, kind: 'message', delta: delta.content });
    }
    if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) {
      // calls come after the text before them: close it so output order follows the upstream
      text += emitCloseOpenItem({ state, status: 'completed' });
      gatherToolCallDeltas({ state, deltas: delta.tool_calls });
    }
  }
  if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
    state.finishReason = choice.finish_reason;
  }
  return text;
}

// after the repair stage a call starts with one delta carrying its id and name, and its
// continuations carry only `index` and arguments
function gatherToolCallDeltas({
  state,
  deltas,
}: {
  state: ResponsesStreamTransformState;
  deltas: readonly unknown[];
}): void {
  for (const delta of deltas) {
    if (!isPlainObject(delta) || typeof delta.index !== 'number') continue;
    const fn = isPlainObject(delta.function) ? delta.function : undefined;
    const args = typeof fn?.arguments === 'string' ? fn.arguments : '';
    const call = state.toolCalls.find((candidate) => candidate.index === delta.index);
    if (call === undefined) {
      state.toolCalls.push({
        index: delta.index,
        id: typeof delta.id === 'string' ? delta.id : '',
        name: typeof fn?.name === 'string' ? fn.name : '',
        arguments: args,
      });
    } else {
      call.arguments += args;
    }
  }
}

// the stream is over: `error` + `response.failed`, and later input is ignored
function fail({ state, error }: { state: ResponsesStreamTransformState; error: unknown }): string {
  state.pendingLineBytes = null;
  state.eventData = null;
  const failure = readFailure(error);
  state.error = toSummaryError(failure);
  return emitFailure({ state, error: failure });
}

function readFailure(error: unknown): StreamFailure & { param: string | null } {
  const { body } = convertErrorToOpenAIError(error);
  const failure: StreamFailure & { param: string | null } = {
    message: body.error.message,
    type: body.error.type,
    code: body.error.code,
    param: body.error.param,
  };
  if (isQwenRelayError(error)) failure.relayCode = error.code;
  return failure;
}

function toSummaryError(failure: StreamFailure): StreamSummary['error'] & object {
  const error: NonNullable<StreamSummary['error']> = {
    message: failure.message,
    type: failure.type,
  };
  if (failure.code !== null) error.code = failure.code;
  if (failure.relayCode !== undefined) error.relayCode = failure.relayCode;
  return error;
}

function encodeText(text: string): Uint8Array {
  return text === '' ? new Uint8Array(0) : encoder.encode(text);
}
