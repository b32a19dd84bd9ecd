import { isQwenRelayError } from '@qwen-relay/contracts';
import { convertErrorToOpenAIError } from '../errors/convert-error-to-openai-error';
import { StreamTruncatedError } from '../errors/stream-truncated-error';
import { convertErrorFinish } from '../mapping/convert-upstream-error-object';
import { convertUsage } from '../mapping/convert-usage';
import type { StreamFailure, StreamSummary } from '../stream/chat-stream-transform-state';
import { classifyUpstreamSseEvent } from '../stream/classify-upstream-sse-event';
import {
  createSseTranslationTransform,
  restoreSseTranslationTransform,
  type SseTranslationProtocol,
} from '../stream/create-sse-translation-transform';
import type { SseEventOptions } from '../stream/feed-sse-events';
import { flushToolCallRepair, repairToolCallChunk } from '../stream/repair-tool-call-chunk';
import type { RestoreOptions } from '../stream/restore-options';
import { isNonEmptyTextJson, matchQwenDeltaChunk } from '../stream/scan-plain-delta-chunk';
import { isPlainObject } from '../validation/field-checks';
import {
  emitCloseOpenItem,
  emitFailure,
  emitFinish,
  emitStart,
  emitTextDelta,
  emitTextDeltaJson,
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
  /** {@link transform}, the output as the text it was built as (no encoding step) */
  transformForWrite(bytes: Uint8Array): string;
  /**
   * Flushes what is buffered and ends the stream. An upstream that finished (`[DONE]` or a finish
   * reason) gets its terminal event; one that stopped early gets `error` + `response.failed`
   * built from `failure` (a truncation when absent), and `summary.failureReported` is set.
   */
  end(options?: { failure?: StreamFailure }): { bytes: Uint8Array; summary: StreamSummary };
  /** A structured-clone-able copy of the state, to continue elsewhere. */
  getState(): ResponsesStreamTransformState;
}

const RESPONSES_TRANSLATION: SseTranslationProtocol<ResponsesStreamTransformState> = {
  kind: 'responses',
  stateTypeName: 'ResponsesStreamTransformState',
  handleEvent,
  fail,
  cloneState: cloneResponsesStreamTransformState,
  // response.created + response.in_progress before the first events
  startRead: emitStart,
  finishEnd,
  readFinishReasons: (state) => (state.finishReason === null ? [] : [state.finishReason]),
};

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
  const state = createResponsesStreamTransformState({
    context,
    keepFinalResponse,
    ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
  });
  return createSseTranslationTransform({ state, protocol: RESPONSES_TRANSLATION });
}

/** Continues a stream from a state taken with getState (e.g. in another worker). */
export function restoreResponsesStreamTransform(
  state: ResponsesStreamTransformState,
  { adopt = false }: RestoreOptions = {},
): ResponsesStreamTransform {
  return restoreSseTranslationTransform({ state, protocol: RESPONSES_TRANSLATION, adopt });
}

// a stream the upstream did not finish: the client still gets its terminal event
function finishEnd({
  state,
  failure,
}: {
  state: ResponsesStreamTransformState;
  failure: StreamFailure | undefined;
}): { text: string; failureReported: boolean } {
  if (state.finished) return { text: '', failureReported: false };
  // the model finished; only `[DONE]` (and maybe usage) went missing
  if (state.finishReason !== null) return { text: emitFinish(state), failureReported: false };
  const reported = failure ?? readFailure(new StreamTruncatedError());
  const text = emitFailure({ state, error: reported });
  state.error = toSummaryError(reported);
  return { text, failureReported: true };
}

function handleEvent({
  state,
  event,
  atEnd,
}: SseEventOptions<ResponsesStreamTransformState>): string {
  // an `event: error` is never a delta
  if (event.type !== 'error') {
    const text = handleQwenDelta({ state, data: event.data });
    if (text !== undefined) return text;
  }
  const classified = classifyUpstreamSseEvent({ event, atEnd });
  switch (classified.kind) {
    case 'skip':
      return '';
    case 'error':
      return fail({ state, error: classified.error });
    case 'done': {
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
    case 'chunk':
      state.chunkCount++;
      return handleChunk({ state, chunk: classified.chunk });
  }
}

/*
 * The common chunk, a text or reasoning delta in Qwen's layout (matchQwenDeltaChunk), read from
 * the match without parsing the chunk: what handleChunk does with such a chunk (it has nothing
 * else a translation reads), its texts handed on as their JSON (the events write them as they
 * came, most often). Undefined for any other chunk.
 */
function handleQwenDelta({
  state,
  data,
}: {
  state: ResponsesStreamTransformState;
  data: string;
}): string | undefined {
  const match = matchQwenDeltaChunk(data);
  if (match === undefined) return undefined;
  state.chunkCount++;
  const model = match[4] ?? '';
  if (model !== '') state.upstreamModel = model;
  const otherDelta = match[3];
  if (otherDelta !== undefined) {
    // another layout of delta: parsed alone
    const delta = JSON.parse(otherDelta);
    return emitDeltaTexts({
      state,
      delta: { reasoning: delta.reasoning_content, content: delta.content },
    });
  }
  let text = '';
  const reasoningJson = match[2];
  if (isNonEmptyTextJson(reasoningJson)) {
    text += emitTextDeltaJson({ state, kind: 'reasoning', json: reasoningJson });
  }
  const contentJson = match[1];
  if (isNonEmptyTextJson(contentJson)) {
    text += emitTextDeltaJson({ state, kind: 'message', json: contentJson });
  }
  return text;
}

// a delta's reasoning, then its text (an empty or non-string one emits nothing)
function emitDeltaTexts({
  state,
  delta,
}: {
  state: ResponsesStreamTransformState;
  delta: { reasoning: unknown; content: unknown };
}): string {
  let text = '';
  const { reasoning, content } = delta;
  if (typeof reasoning === 'string' && reasoning !== '') {
    text += emitTextDelta({ state, kind: 'reasoning', delta: reasoning });
  }
  if (typeof content === 'string' && content !== '') {
    text += emitTextDelta({ state, kind: 'message', delta: content });
  }
  return text;
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
    text += emitDeltaTexts({
      state,
      delta: { reasoning: delta.reasoning_content, content: delta.content },
    });
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
