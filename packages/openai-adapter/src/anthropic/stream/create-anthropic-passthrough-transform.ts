import { parseSseLine, type SseEventParserState } from '../../sse/parse-sse-line';
import { flushSseLines, type LineSplitterState, splitSseLines } from '../../sse/split-sse-lines';
import { assertStreamStateVersion } from '../../stream/assert-stream-state-version';
import {
  DEFAULT_MAX_SSE_LINE_BYTES,
  type StreamSummary,
  type StreamSummaryError,
} from '../../stream/chat-stream-transform-state';
import { createStreamSummary } from '../../stream/create-stream-summary';
import { encodeStreamText } from '../../stream/encode-stream-text';
import type { RestoreOptions } from '../../stream/restore-options';
import type { Usage } from '../../types/chat-completion';
import { isPlainObject } from '../../validation/field-checks';
import { formatAnthropicSseErrorEvent } from '../errors/convert-error-to-anthropic-error';

/**
 * State of a native Anthropic stream passed through: the event being assembled (its raw lines),
 * how it ended, and the usage it reported. Plain data, like every stream transform state.
 */
export interface AnthropicPassthroughState extends LineSplitterState, SseEventParserState {
  version: 1;
  kind: 'anthropic-passthrough';
  maxLineBytes: number;
  /** the lines of the event being assembled, each with its `\n` */
  eventText: string;
  chunkCount: number;
  sawDone: boolean;
  finished: 'done' | 'upstream-error' | null;
  usage: Usage | null;
  error: StreamSummaryError | null;
}

/** Options of a fresh passthrough stream. */
interface AnthropicPassthroughOptions {
  maxLineBytes?: number;
}

/** A native Anthropic stream in, the same events out; restartable from its state. */
export interface AnthropicPassthroughTransform {
  transform(bytes: Uint8Array): Uint8Array;
  /** {@link transform}, the output as the text it was built as (no encoding step) */
  transformForWrite(bytes: Uint8Array): string;
  end(): { bytes: Uint8Array; summary: StreamSummary };
  getState(): AnthropicPassthroughState;
}

/**
 * Passes a native Anthropic SSE stream through event by event (lines re-terminated with `\n`,
 * nothing else changed). Only complete events go out, so a stream cut mid-event never glues the
 * proxy's final `error` event to half a line. It notes `message_stop` (a complete stream) or an
 * `error` event (the upstream's own failure report), and the usage, for logs and calibration.
 */
export function createAnthropicPassthroughTransform(
  options: AnthropicPassthroughOptions = {},
): AnthropicPassthroughTransform {
  return wrapState(createAnthropicPassthroughState(options));
}

/**
 * The state a passthrough stream starts from, built fresh: what a runner is handed to start a
 * stream with, without making a transform and copying its state.
 */
export function createAnthropicPassthroughState({
  maxLineBytes = DEFAULT_MAX_SSE_LINE_BYTES,
}: AnthropicPassthroughOptions = {}): AnthropicPassthroughState {
  return {
    version: 1,
    kind: 'anthropic-passthrough',
    maxLineBytes,
    pendingLineBytes: null,
    skipLeadingLf: false,
    eventData: null,
    eventType: null,
    eventText: '',
    chunkCount: 0,
    sawDone: false,
    finished: null,
    usage: null,
    error: null,
  };
}

/** Continues a passthrough from a state taken with getState. */
export function restoreAnthropicPassthroughTransform(
  state: AnthropicPassthroughState,
  { adopt = false }: RestoreOptions = {},
): AnthropicPassthroughTransform {
  assertStreamStateVersion({
    state,
    kind: 'anthropic-passthrough',
    typeName: 'AnthropicPassthroughState',
  });
  return wrapState(adopt ? state : cloneState(state));
}

function cloneState(state: AnthropicPassthroughState): AnthropicPassthroughState {
  return {
    ...state,
    pendingLineBytes: state.pendingLineBytes ? state.pendingLineBytes.slice() : null,
    usage: state.usage ? { ...state.usage } : null,
    error: state.error ? { ...state.error } : null,
  };
}

function wrapState(state: AnthropicPassthroughState): AnthropicPassthroughTransform {
  const onLine = (output: string[]) => (line: string) => {
    output.push(handleLine({ state, line }));
    return state.finished === null;
  };
  const transformForWrite = (bytes: Uint8Array): string => {
    if (state.finished) return '';
    const output: string[] = [];
    try {
      splitSseLines({ state, bytes, maxLineBytes: state.maxLineBytes, onLine: onLine(output) });
    } catch (error) {
      state.finished = 'upstream-error';
      state.error = { message: 'upstream SSE line too long', type: 'api_error' };
      output.push(formatAnthropicSseErrorEvent(error));
    }
    return output.join('');
  };
  return {
    transform: (bytes) => encodeStreamText(transformForWrite(bytes)),
    transformForWrite,
    end() {
      const output: string[] = [];
      // a last line without its terminator completes nothing: an event needs its blank line
      if (!state.finished) flushSseLines({ state, onLine: () => true });
      return {
        bytes: encodeStreamText(output.join('')),
        summary: createStreamSummary({ state }),
      };
    },
    getState: () => cloneState(state),
  };
}

function handleLine({ state, line }: { state: AnthropicPassthroughState; line: string }): string {
  if (line !== '') {
    state.eventText += `${line}\n`;
    parseSseLine({ state, line });
    return '';
  }
  const text = `${state.eventText}\n`;
  const { eventData, eventType } = state;
  state.eventText = '';
  parseSseLine({ state, line });
  if (eventData === null) return text === '\n' ? '' : text;
  state.chunkCount++;
  noteEvent({ state, type: eventType, data: eventData });
  return text;
}

// the event types whose data noteEvent reads; an event named otherwise on its `event:` line
// (content blocks, their deltas, ping) is counted and passed on without parsing its data
const NOTED_TYPES = new Set(['message_start', 'message_delta', 'message_stop', 'error']);

function noteEvent({
  state,
  type,
  data,
}: {
  state: AnthropicPassthroughState;
  type: string | null;
  data: string;
}): void {
  // the `event:` line decides the kind when present, so the data of another kind is never read
  if (type !== null && !NOTED_TYPES.has(type)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return;
  }
  if (!isPlainObject(parsed)) return;
  const kind = type ?? parsed.type;
  if (kind === 'message_stop') {
    state.sawDone = true;
    state.finished = 'done';
  } else if (kind === 'error') {
    const error = isPlainObject(parsed.error) ? parsed.error : {};
    state.finished = 'upstream-error';
    state.error = {
      message: typeof error.message === 'string' ? error.message : 'upstream error event',
      type: typeof error.type === 'string' ? error.type : 'api_error',
      relayCode: 'QWEN_RELAY_UPSTREAM_STREAM_ERROR',
    };
  } else if (kind === 'message_start' && isPlainObject(parsed.message)) {
    mergeUsage({ state, usage: parsed.message.usage });
  } else if (kind === 'message_delta') {
    mergeUsage({ state, usage: parsed.usage });
  }
}

// Anthropic usage → the chat-shaped usage of stream summaries (prompt = uncached + cached + written)
function mergeUsage({ state, usage }: { state: AnthropicPassthroughState; usage: unknown }): void {
  if (!isPlainObject(usage)) return;
  const read = (field: string, fallback: number) =>
    typeof usage[field] === 'number' ? (usage[field] as number) : fallback;
  const previous = state.usage;
  const previousCached = previous?.prompt_tokens_details?.cached_tokens ?? 0;
  const input = read('input_tokens', (previous?.prompt_tokens ?? 0) - previousCached);
  const cached = read('cache_read_input_tokens', previousCached);
  const written = read('cache_creation_input_tokens', 0);
  const output = read('output_tokens', previous?.completion_tokens ?? 0);
  state.usage = {
    prompt_tokens: input + cached + written,
    completion_tokens: output,
    total_tokens: input + cached + written + output,
    prompt_tokens_details: { cached_tokens: cached },
  };
}
