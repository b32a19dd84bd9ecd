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
  /**
   * {@link transform}, the output as it was built: the read itself (or the part of it up to the
   * stream's end) when it is whole events as they go out, else text (no encoding step)
   */
  transformForWrite(bytes: Uint8Array): string | Uint8Array;
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
  // a whole-events read: the lines are only read (noteLine), the read itself goes out
  let wholeLines = 0;
  const onWholeLine = (line: string): boolean => {
    wholeLines++;
    noteLine({ state, line });
    return state.finished === null;
  };
  const transformForWrite = (bytes: Uint8Array): string | Uint8Array => {
    if (state.finished) return '';
    const lines = countWholeEventsLines({ state, bytes });
    if (lines > 0) {
      wholeLines = 0;
      splitSseLines({ state, bytes, maxLineBytes: state.maxLineBytes, onLine: onWholeLine });
      if (state.finished === null || wholeLines === lines) return bytes;
      // the stream's end came before the read's: what followed it is dropped, as below
      return bytes.subarray(0, endOfLine(bytes, wholeLines));
    }
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
    transform: (bytes) => {
      const output = transformForWrite(bytes);
      return typeof output === 'string' ? encodeStreamText(output) : output;
    },
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
    noteLine({ state, line });
    return '';
  }
  const text = `${state.eventText}\n`;
  // a blank line with no data before it completes no event: dropped when nothing else came
  const completesEvent = state.eventData !== null;
  state.eventText = '';
  noteLine({ state, line });
  return completesEvent || text !== '\n' ? text : '';
}

/**
 * Reads one line into the event being assembled; a blank line dispatches it, counted and noted
 * when it has data. handleLine adds the text that goes out; a whole-events read
 * (countWholeEventsLines) gives back its bytes instead.
 */
function noteLine({ state, line }: { state: AnthropicPassthroughState; line: string }): void {
  if (line !== '') {
    parseSseLine({ state, line });
    return;
  }
  const { eventData, eventType } = state;
  parseSseLine({ state, line });
  if (eventData === null) return;
  state.chunkCount++;
  noteEvent({ state, type: eventType, data: eventData });
}

const LF = 10;
const CR = 13;
// a line that starts with a byte order mark loses it when decoded (splitSseLines)
const BOM_FIRST_BYTE = 0xef;

/**
 * The number of lines of the read (its LFs) when handleLine would give back exactly its bytes (up to the stream's end, when
 * that comes in it): the stream is at an event boundary (nothing pending of a line or an
 * event), the read holds whole events only (it ends with a blank line), its lines end with LF
 * alone (handleLine ends each with LF), no blank line is one an event did not need (a blank line
 * first, or two in a row: handleLine drops it), no line starts with what may be a byte order mark
 * (decoded without it), and no line can be too long (the read is within the bound); else 0, and
 * the read takes handleLine.
 */
function countWholeEventsLines({
  state,
  bytes,
}: {
  state: AnthropicPassthroughState;
  bytes: Uint8Array;
}): number {
  const length = bytes.length;
  if (length < 2 || length > state.maxLineBytes) return 0;
  if (bytes[0] === LF || bytes[0] === BOM_FIRST_BYTE) return 0;
  if (bytes[length - 1] !== LF || bytes[length - 2] !== LF) return 0;
  if (state.eventText !== '' || state.pendingLineBytes !== null || state.skipLeadingLf) return 0;
  if (bytes.indexOf(CR) !== -1) return 0;
  // the last two LFs (the read's end) are counted, not looked past
  let lines = 2;
  for (let at = bytes.indexOf(LF); at < length - 2; at = bytes.indexOf(LF, at + 1)) {
    if ((bytes[at + 1] === LF && bytes[at + 2] === LF) || bytes[at + 1] === BOM_FIRST_BYTE) {
      return 0;
    }
    lines++;
  }
  return lines;
}

/** The offset just past the `lines`-th LF of a read (its lines end with LF alone). */
function endOfLine(bytes: Uint8Array, lines: number): number {
  let at = -1;
  for (let line = 0; line < lines; line++) at = bytes.indexOf(LF, at + 1);
  return at + 1;
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
