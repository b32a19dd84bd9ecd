import { isQwenRelayError } from '@qwen-relay/contracts';
import type { StreamSummary } from '../../stream/chat-stream-transform-state';
import { classifyUpstreamSseEvent } from '../../stream/classify-upstream-sse-event';
import {
  createSseTranslationTransform,
  restoreSseTranslationTransform,
  type SseTranslationProtocol,
} from '../../stream/create-sse-translation-transform';
import type { SseEventOptions } from '../../stream/feed-sse-events';
import type { RestoreOptions } from '../../stream/restore-options';
import { matchQwenDeltaChunk } from '../../stream/scan-plain-delta-chunk';
import {
  convertErrorToAnthropicError,
  formatAnthropicSseErrorEvent,
} from '../errors/convert-error-to-anthropic-error';
import {
  type AnthropicStreamTransformState,
  cloneAnthropicStreamTransformState,
  createAnthropicStreamTransformState,
} from './anthropic-stream-transform-state';
import {
  applyChunkToAnthropicStream,
  applyPlainDeltaToAnthropicStream,
  applyQwenDeltaToAnthropicStream,
  finishAnthropicMessage,
} from './apply-chunk-to-anthropic-stream';
import { ANTHROPIC_PING_EVENT } from './format-anthropic-event';

/** Upstream Qwen chat SSE bytes in, Anthropic Messages SSE bytes out; restartable from its state. */
export interface AnthropicStreamTransform {
  /** Feeds one read (any split of the upstream bytes); returns the Anthropic SSE bytes it completes. */
  transform(bytes: Uint8Array): Uint8Array;
  /** {@link transform}, the output as the text it was built as (no encoding step) */
  transformForWrite(bytes: Uint8Array): string;
  /** Flushes a last unterminated event and reports how the stream ended. Never invents an error event. */
  end(): { bytes: Uint8Array; summary: StreamSummary };
  /** A structured-clone-able copy of the state, to continue with restoreAnthropicStreamTransform. */
  getState(): AnthropicStreamTransformState;
}

// upstream events in a row without client output before a `ping` keeps the client's idle timer fed
const QUIET_EVENTS_PER_PING = 16;

const ANTHROPIC_TRANSLATION: SseTranslationProtocol<AnthropicStreamTransformState> = {
  kind: 'anthropic',
  stateTypeName: 'AnthropicStreamTransformState',
  handleEvent,
  fail,
  cloneState: cloneAnthropicStreamTransformState,
};

/** Creates the transform for one `/v1/messages` stream translated from chat completions. */
export function createAnthropicStreamTransform(
  options: Parameters<typeof createAnthropicStreamTransformState>[0],
): AnthropicStreamTransform {
  const state = createAnthropicStreamTransformState(options);
  return createSseTranslationTransform({ state, protocol: ANTHROPIC_TRANSLATION });
}

/** Continues a stream from a state taken with getState (e.g. in another worker). */
export function restoreAnthropicStreamTransform(
  state: AnthropicStreamTransformState,
  { adopt = false }: RestoreOptions = {},
): AnthropicStreamTransform {
  return restoreSseTranslationTransform({ state, protocol: ANTHROPIC_TRANSLATION, adopt });
}

function handleEvent({
  state,
  event,
  atEnd,
}: SseEventOptions<AnthropicStreamTransformState>): string {
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
    case 'done':
      state.sawDone = true;
      state.finished = 'done';
      return finishAnthropicMessage(state);
    case 'chunk': {
      state.chunkCount++;
      const result = applyChunkToAnthropicStream({ state, chunk: classified.chunk });
      if (result.kind === 'error') return fail({ state, error: result.error });
      return keepClientFed({ state, text: result.text });
    }
  }
}

/*
 * The common chunk, a text or reasoning delta in Qwen's layout (matchQwenDeltaChunk), read from
 * the match without parsing the chunk: what applyChunkToAnthropicStream does with such a chunk
 * (it has nothing else a translation reads), its texts handed on as their JSON (the events write
 * them as they came, most often). Undefined for any other chunk.
 */
function handleQwenDelta({
  state,
  data,
}: {
  state: AnthropicStreamTransformState;
  data: string;
}): string | undefined {
  const match = matchQwenDeltaChunk(data);
  if (match === undefined) return undefined;
  state.chunkCount++;
  const otherDelta = match[3];
  if (otherDelta !== undefined) {
    // another layout of delta: parsed alone
    const { reasoning_content: reasoning, content } = JSON.parse(otherDelta);
    return keepClientFed({
      state,
      text: applyPlainDeltaToAnthropicStream({ state, reasoning, content }),
    });
  }
  return keepClientFed({
    state,
    text: applyQwenDeltaToAnthropicStream({
      state,
      reasoningJson: match[2],
      contentJson: match[1],
    }),
  });
}

// a chunk's events, or after enough chunks without any a `ping`, so the client's idle timer is fed
function keepClientFed({
  state,
  text,
}: {
  state: AnthropicStreamTransformState;
  text: string;
}): string {
  if (text !== '') {
    state.quietEvents = 0;
    return text;
  }
  state.quietEvents++;
  if (state.quietEvents < QUIET_EVENTS_PER_PING) return '';
  state.quietEvents = 0;
  return ANTHROPIC_PING_EVENT;
}

// the stream is over: one `error` event for the client, and later input is ignored
function fail({ state, error }: { state: AnthropicStreamTransformState; error: unknown }): string {
  const { body } = convertErrorToAnthropicError(error);
  state.finished = 'upstream-error';
  state.pendingLineBytes = null;
  state.eventData = null;
  state.error = { message: body.error.message, type: body.error.type };
  if (isQwenRelayError(error)) state.error.relayCode = error.code;
  return formatAnthropicSseErrorEvent(error);
}
