import { isQwenRelayError } from '@qwen-relay/contracts';
import { dispatchSseEvent, parseSseLine, type SseEvent } from '../../sse/parse-sse-line';
import { flushSseLines, splitSseLines } from '../../sse/split-sse-lines';
import type { StreamSummary } from '../../stream/chat-stream-transform-state';
import { classifyUpstreamSseEvent } from '../../stream/classify-upstream-sse-event';
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
  finishAnthropicMessage,
} from './apply-chunk-to-anthropic-stream';
import { formatAnthropicEvent } from './format-anthropic-event';

/** Upstream Qwen chat SSE bytes in, Anthropic Messages SSE bytes out; restartable from its state. */
export interface AnthropicStreamTransform {
  /** Feeds one read (any split of the upstream bytes); returns the Anthropic SSE bytes it completes. */
  transform(bytes: Uint8Array): Uint8Array;
  /** Flushes a last unterminated event and reports how the stream ended. Never invents an error event. */
  end(): { bytes: Uint8Array; summary: StreamSummary };
  /** A structured-clone-able copy of the state, to continue with restoreAnthropicStreamTransform. */
  getState(): AnthropicStreamTransformState;
}

// upstream events in a row without client output before a `ping` keeps the client's idle timer fed
const QUIET_EVENTS_PER_PING = 16;
const encoder = new TextEncoder();

/** Creates the transform for one `/v1/messages` stream translated from chat completions. */
export function createAnthropicStreamTransform(
  options: Parameters<typeof createAnthropicStreamTransformState>[0],
): AnthropicStreamTransform {
  return wrapState(createAnthropicStreamTransformState(options));
}

/** Continues a stream from a state taken with getState (e.g. in another worker). */
export function restoreAnthropicStreamTransform(
  state: AnthropicStreamTransformState,
): AnthropicStreamTransform {
  if (state?.version !== 1 || state.kind !== 'anthropic') {
    throw new TypeError('unsupported AnthropicStreamTransformState version');
  }
  return wrapState(cloneAnthropicStreamTransformState(state));
}

function wrapState(state: AnthropicStreamTransformState): AnthropicStreamTransform {
  return {
    transform(bytes) {
      if (state.finished) return new Uint8Array(0);
      let text = '';
      try {
        splitSseLines({
          state,
          bytes,
          maxLineBytes: state.maxLineBytes,
          onLine: (line) => {
            const event = parseSseLine({ state, line });
            if (event) text += handleEvent({ state, event, atEnd: false });
            return state.finished === null;
          },
        });
      } catch (error) {
        text += fail({ state, error });
      }
      return encodeText(text);
    },
    end() {
      let text = '';
      if (!state.finished) {
        flushSseLines({
          state,
          onLine: (line) => {
            const event = parseSseLine({ state, line });
            if (event) text += handleEvent({ state, event, atEnd: true });
            return state.finished === null;
          },
        });
        const event = state.finished ? undefined : dispatchSseEvent(state);
        if (event) text += handleEvent({ state, event, atEnd: true });
      }
      return { bytes: encodeText(text), summary: createSummary(state) };
    },
    getState() {
      return cloneAnthropicStreamTransformState(state);
    },
  };
}

function handleEvent({
  state,
  event,
  atEnd,
}: {
  state: AnthropicStreamTransformState;
  event: SseEvent;
  atEnd: boolean;
}): string {
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
      if (result.text !== '') {
        state.quietEvents = 0;
        return result.text;
      }
      state.quietEvents++;
      if (state.quietEvents < QUIET_EVENTS_PER_PING) return '';
      state.quietEvents = 0;
      return formatAnthropicEvent({ type: 'ping' });
    }
  }
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

function createSummary(state: AnthropicStreamTransformState): StreamSummary {
  const summary: StreamSummary = {
    endState: state.finished ?? 'incomplete',
    sawDone: state.sawDone,
    chunkCount: state.chunkCount,
  };
  if (state.usage) summary.usage = state.usage;
  if (state.error) summary.error = { ...state.error };
  return summary;
}

function encodeText(text: string): Uint8Array {
  return text === '' ? new Uint8Array(0) : encoder.encode(text);
}
