import type { SseEventParserState } from '../../sse/parse-sse-line';
import type { LineSplitterState } from '../../sse/split-sse-lines';
import {
  DEFAULT_MAX_SSE_LINE_BYTES,
  type StreamSummaryError,
} from '../../stream/chat-stream-transform-state';
import type { Usage } from '../../types/chat-completion';

/** A tool call being collected until its `tool_use` block can be emitted whole. */
export interface PendingToolCall {
  /** the upstream's tool-call index */
  index: number;
  /** the first non-empty id the upstream sent for this index (it may arrive late) */
  id: string;
  /** the first non-empty name */
  name: string;
  arguments: string;
}

/**
 * Everything an AnthropicStreamTransform knows, as plain data (structured-clone-able), so the
 * batches of one stream can run inline or on any worker as long as they run in order.
 */
export interface AnthropicStreamTransformState extends LineSplitterState, SseEventParserState {
  version: 1;
  kind: 'anthropic';
  clientModel: string;
  messageId: string;
  /** the local estimate, shown in `message_start` until the upstream's usage arrives */
  estimatedInputTokens: number;
  stopSequences: string[];
  maxLineBytes: number;
  /** `message_start` was sent */
  started: boolean;
  /** the text or thinking block still open, if any */
  openBlock: 'text' | 'thinking' | null;
  /** index of the next content block */
  nextBlockIndex: number;
  /** tool calls collected and not yet emitted, in upstream index order */
  pendingToolCalls: PendingToolCall[];
  /** upstream indexes of the tool calls already emitted as blocks */
  emittedToolIndexes: number[];
  /** text and thinking that arrived while tool calls were being collected, emitted after them */
  heldDeltas: Array<{ kind: 'text' | 'thinking'; text: string }>;
  finishReason: string | null;
  stopSequence: string | null;
  /** upstream events in a row that produced nothing for the client (a ping every 16) */
  quietEvents: number;
  chunkCount: number;
  sawDone: boolean;
  finished: 'done' | 'upstream-error' | null;
  usage: Usage | null;
  error: StreamSummaryError | null;
}

/** Fresh state for a new stream. */
export function createAnthropicStreamTransformState({
  clientModel,
  messageId,
  estimatedInputTokens = 0,
  stopSequences = [],
  maxLineBytes = DEFAULT_MAX_SSE_LINE_BYTES,
}: {
  clientModel: string;
  messageId: string;
  estimatedInputTokens?: number;
  stopSequences?: readonly string[];
  maxLineBytes?: number;
}): AnthropicStreamTransformState {
  return {
    version: 1,
    kind: 'anthropic',
    clientModel,
    messageId,
    estimatedInputTokens,
    stopSequences: [...stopSequences],
    maxLineBytes,
    pendingLineBytes: null,
    skipLeadingLf: false,
    eventData: null,
    eventType: null,
    started: false,
    openBlock: null,
    nextBlockIndex: 0,
    pendingToolCalls: [],
    emittedToolIndexes: [],
    heldDeltas: [],
    finishReason: null,
    stopSequence: null,
    quietEvents: 0,
    chunkCount: 0,
    sawDone: false,
    finished: null,
    usage: null,
    error: null,
  };
}

/** A copy that shares nothing mutable with `state`. */
export function cloneAnthropicStreamTransformState(
  state: AnthropicStreamTransformState,
): AnthropicStreamTransformState {
  return {
    ...state,
    pendingLineBytes: state.pendingLineBytes ? state.pendingLineBytes.slice() : null,
    stopSequences: [...state.stopSequences],
    pendingToolCalls: state.pendingToolCalls.map((call) => ({ ...call })),
    emittedToolIndexes: [...state.emittedToolIndexes],
    heldDeltas: state.heldDeltas.map((delta) => ({ ...delta })),
    usage: state.usage ? structuredCloneUsage(state.usage) : null,
    error: state.error ? { ...state.error } : null,
  };
}

function structuredCloneUsage(usage: Usage): Usage {
  return JSON.parse(JSON.stringify(usage)) as Usage;
}
