import { isQwenRelayError } from '@qwen-relay/contracts';
import { convertErrorToOpenAIError } from '../errors/convert-error-to-openai-error';
import { formatSseErrorEvent } from '../errors/encode-sse-error-event';
import { MalformedUpstreamResponseError } from '../errors/malformed-upstream-response-error';
import { convertUpstreamErrorObject } from '../mapping/convert-upstream-error-object';
import { dispatchSseEvent, parseSseLine, type SseEvent } from '../sse/parse-sse-line';
import { flushSseLines, splitSseLines } from '../sse/split-sse-lines';
import { isPlainObject } from '../validation/field-checks';
import {
  type ChatStreamTransformState,
  cloneChatStreamTransformState,
  createChatStreamTransformState,
  type StreamSummary,
} from './chat-stream-transform-state';
import { flushToolCallRepair } from './repair-tool-call-chunk';
import { transformChunk, transformPlainDeltaChunk } from './transform-chunk';

/** Upstream Qwen SSE bytes in, OpenAI SSE bytes out; restartable from its state anywhere. */
export interface ChatStreamTransform {
  /** Feeds one read (any split of the upstream bytes); returns the OpenAI SSE bytes it completes (maybe empty). */
  transform(bytes: Uint8Array): Uint8Array;
  /** Flushes a last unterminated line/event and reports how the stream ended. Never invents an error event. */
  end(): { bytes: Uint8Array; summary: StreamSummary };
  /** A structured-clone-able copy of the state, to continue elsewhere with restoreChatStreamTransform. */
  getState(): ChatStreamTransformState;
}

const encoder = new TextEncoder();
const DONE_EVENT = 'data: [DONE]\n\n';

/** Creates the transform for one stream; `clientModel` is echoed in every chunk. */
export function createChatStreamTransform({
  clientModel,
  includeUsage,
  maxLineBytes,
}: {
  clientModel: string;
  includeUsage: boolean;
  maxLineBytes?: number;
}): ChatStreamTransform {
  return wrapState(
    createChatStreamTransformState(
      maxLineBytes === undefined
        ? { clientModel, includeUsage }
        : { clientModel, includeUsage, maxLineBytes },
    ),
  );
}

/** Continues a stream from a state taken with getState (e.g. in another worker). */
export function restoreChatStreamTransform(state: ChatStreamTransformState): ChatStreamTransform {
  if (state?.version !== 1) throw new TypeError('unsupported ChatStreamTransformState version');
  return wrapState(cloneChatStreamTransformState(state));
}

function wrapState(state: ChatStreamTransformState): ChatStreamTransform {
  return {
    transform(bytes) {
      if (state.finished) return new Uint8Array(0);
      return encodeText(feedBytes({ state, bytes }));
    },
    end() {
      let text = '';
      if (!state.finished) {
        const onLine = (line: string): boolean => {
          text += handleLine({ state, line, atEnd: true });
          return state.finished === null;
        };
        flushSseLines({ state, onLine });
        const event = state.finished ? undefined : dispatchSseEvent(state);
        if (event) text += handleEvent({ state, event, atEnd: true });
      }
      return { bytes: encodeText(text), summary: createSummary(state) };
    },
    getState() {
      return cloneChatStreamTransformState(state);
    },
  };
}

function feedBytes({
  state,
  bytes,
}: {
  state: ChatStreamTransformState;
  bytes: Uint8Array;
}): string {
  let text = '';
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
  return text;
}

function handleLine({
  state,
  line,
  atEnd,
}: {
  state: ChatStreamTransformState;
  line: string;
  atEnd: boolean;
}): string {
  const event = parseSseLine({ state, line });
  return event ? handleEvent({ state, event, atEnd }) : '';
}

/**
 * `atEnd`: the event was cut off by the end of the stream (no blank line after it). It is used
 * when it is complete JSON; a half event is dropped, because the stream is simply incomplete and
 * the proxy reports the truncation with its own cause.
 */
function handleEvent({
  state,
  event,
  atEnd,
}: {
  state: ChatStreamTransformState;
  event: SseEvent;
  atEnd: boolean;
}): string {
  const data = event.data.trim();
  if (data === '[DONE]') {
    state.sawDone = true;
    state.finished = 'done';
    // calls still held (no finish chunk came) are sent rather than dropped
    const flushed = flushToolCallRepair({ state, model: state.clientModel });
    return flushed === undefined ? DONE_EVENT : `data: ${JSON.stringify(flushed)}\n\n${DONE_EVENT}`;
  }
  // the common chunk (a text or reasoning delta) skips JSON.parse; an `event: error` never does
  if (event.type !== 'error') {
    const text = transformPlainDeltaChunk({ data, clientModel: state.clientModel });
    if (text !== undefined) {
      state.chunkCount++;
      return text;
    }
  }
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
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
  const result = transformChunk({ chunk, data, state });
  return result.kind === 'output' ? result.text : fail({ state, error: result.error });
}

// the stream is over: one error event for the client, and later input is ignored
function fail({ state, error }: { state: ChatStreamTransformState; error: unknown }): string {
  const { body } = convertErrorToOpenAIError(error);
  state.finished = 'upstream-error';
  state.pendingLineBytes = null;
  state.eventData = null;
  state.error = { message: body.error.message, type: body.error.type };
  if (body.error.code !== null) state.error.code = body.error.code;
  if (isQwenRelayError(error)) state.error.relayCode = error.code;
  return formatSseErrorEvent(error);
}

function createSummary(state: ChatStreamTransformState): StreamSummary {
  const summary: StreamSummary = {
    endState: state.finished ?? 'incomplete',
    sawDone: state.sawDone,
    chunkCount: state.chunkCount,
  };
  if (state.usage) summary.usage = state.usage;
  if (state.upstreamModel !== null) summary.upstreamModel = state.upstreamModel;
  if (state.finishReasons.length > 0) summary.finishReasons = [...state.finishReasons];
  if (state.error) summary.error = { ...state.error };
  return summary;
}

function encodeText(text: string): Uint8Array {
  return text === '' ? new Uint8Array(0) : encoder.encode(text);
}
