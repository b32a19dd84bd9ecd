import { isQwenRelayError } from '@qwen-relay/contracts';
import { convertErrorToOpenAIError } from '../errors/convert-error-to-openai-error';
import { formatSseErrorEvent } from '../errors/encode-sse-error-event';
import {
  type ChatStreamTransformState,
  cloneChatStreamTransformState,
  createChatStreamTransformState,
  type StreamSummary,
} from './chat-stream-transform-state';
import { classifyUpstreamSseData } from './classify-upstream-sse-event';
import {
  createSseTranslationTransform,
  restoreSseTranslationTransform,
  type SseTranslationProtocol,
} from './create-sse-translation-transform';
import type { SseEventOptions } from './feed-sse-events';
import { flushToolCallRepair } from './repair-tool-call-chunk';
import type { RestoreOptions } from './restore-options';
import { transformChunk, transformFinalChunk, transformPlainDeltaChunk } from './transform-chunk';

/** Upstream Qwen SSE bytes in, OpenAI SSE bytes out; restartable from its state anywhere. */
export interface ChatStreamTransform {
  /** Feeds one read (any split of the upstream bytes); returns the OpenAI SSE bytes it completes (maybe empty). */
  transform(bytes: Uint8Array): Uint8Array;
  /** {@link transform}, the output as the text it was built as (no encoding step) */
  transformForWrite(bytes: Uint8Array): string;
  /** Flushes a last unterminated line/event and reports how the stream ended. Never invents an error event. */
  end(): { bytes: Uint8Array; summary: StreamSummary };
  /** A structured-clone-able copy of the state, to continue elsewhere with restoreChatStreamTransform. */
  getState(): ChatStreamTransformState;
}

const DONE_EVENT = 'data: [DONE]\n\n';

const CHAT_TRANSLATION: SseTranslationProtocol<ChatStreamTransformState> = {
  stateTypeName: 'ChatStreamTransformState',
  handleEvent,
  fail,
  cloneState: cloneChatStreamTransformState,
  readFinishReasons: (state) => state.finishReasons,
};

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
  const state = createChatStreamTransformState(
    maxLineBytes === undefined
      ? { clientModel, includeUsage }
      : { clientModel, includeUsage, maxLineBytes },
  );
  return createSseTranslationTransform({ state, protocol: CHAT_TRANSLATION });
}

/** Continues a stream from a state taken with getState (e.g. in another worker). */
export function restoreChatStreamTransform(
  state: ChatStreamTransformState,
  { adopt = false }: RestoreOptions = {},
): ChatStreamTransform {
  return restoreSseTranslationTransform({ state, protocol: CHAT_TRANSLATION, adopt });
}

/**
 * `atEnd`: the event was cut off by the end of the stream (no blank line after it). It is used
 * when it is complete JSON; a half event is dropped, because the stream is simply incomplete and
 * the proxy reports the truncation with its own cause.
 */
function handleEvent({ state, event, atEnd }: SseEventOptions<ChatStreamTransformState>): string {
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
    const finalText = transformFinalChunk({ data, state });
    if (finalText !== undefined) {
      state.chunkCount++;
      return finalText;
    }
  }
  const classified = classifyUpstreamSseData({ data, type: event.type, atEnd });
  if (classified.kind === 'skip') return '';
  if (classified.kind === 'error') return fail({ state, error: classified.error });
  state.chunkCount++;
  const result = transformChunk({ chunk: classified.chunk, data, state });
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
