import type { SseEventParserState } from '../sse/parse-sse-line';
import type { LineSplitterState } from '../sse/split-sse-lines';
import type { Usage } from '../types/chat-completion';
import {
  cloneToolCallRepairState,
  createToolCallRepairState,
  type ToolCallRepairState,
} from './tool-call-repair-state';

/** How a transformed stream ended. */
export type StreamEndState = 'done' | 'upstream-error' | 'incomplete';

/** The error a stream ended with, as the client saw it in the error event. */
export interface StreamSummaryError {
  message: string;
  type?: string;
  code?: string;
  /** the QWEN_RELAY_* code, for logs and metrics */
  relayCode?: string;
}

/** What the proxy logs and counts once a stream is over. */
export interface StreamSummary {
  endState: StreamEndState;
  sawDone: boolean;
  /** upstream chunks (JSON events) seen, including ones not forwarded */
  chunkCount: number;
  usage?: Usage;
  /** the model the upstream named in its final chunks (before the rewrite to the client's name) */
  upstreamModel?: string;
  /** every finish_reason the stream ended its choices with, in order */
  finishReasons?: string[];
  error?: StreamSummaryError;
  /**
   * the transform itself told the client how the stream failed (the Responses transform ends
   * with `error` + `response.failed`); the caller must not append its own error event
   */
  failureReported?: boolean;
  /**
   * the terminal `response` object of a Responses stream (completed or incomplete), reported only
   * by transforms created with `keepFinalResponse` (the proxy stores it for `store: true`)
   */
  response?: Record<string, unknown>;
}

/**
 * Why a stream stopped early, as the client is told (an OpenAI error body plus the QWEN_RELAY_*
 * code): plain data, so it can travel to a worker with the last batch.
 */
export interface StreamFailure {
  message: string;
  type: string;
  code: string | null;
  relayCode?: string;
}

/**
 * Everything a ChatStreamTransform knows, as plain data (structured-clone-able, a few hundred
 * bytes plus any partial line), so batches of one stream can be transformed by any worker as
 * long as they run in order.
 */
export interface ChatStreamTransformState
  extends LineSplitterState,
    SseEventParserState,
    ToolCallRepairState {
  version: 1;
  clientModel: string;
  includeUsage: boolean;
  maxLineBytes: number;
  chunkCount: number;
  sawDone: boolean;
  /** set once the stream is over ([DONE] or an error event); later input is ignored */
  finished: 'done' | 'upstream-error' | null;
  usage: Usage | null;
  /** the upstream's model name, read from chunks that are parsed anyway (finish, usage) */
  upstreamModel: string | null;
  finishReasons: string[];
  error: StreamSummaryError | null;
}

/** Default bound of one SSE line (8 MiB): far above any real chunk, small enough to stop a runaway body. */
export const DEFAULT_MAX_SSE_LINE_BYTES = 8 * 1024 * 1024;

/** Fresh state for a new stream. */
export function createChatStreamTransformState({
  clientModel,
  includeUsage,
  maxLineBytes = DEFAULT_MAX_SSE_LINE_BYTES,
}: {
  clientModel: string;
  includeUsage: boolean;
  maxLineBytes?: number;
}): ChatStreamTransformState {
  return {
    version: 1,
    clientModel,
    includeUsage,
    maxLineBytes,
    pendingLineBytes: null,
    skipLeadingLf: false,
    eventData: null,
    eventType: null,
    ...createToolCallRepairState(),
    chunkCount: 0,
    sawDone: false,
    finished: null,
    usage: null,
    upstreamModel: null,
    finishReasons: [],
    error: null,
  };
}

/** A copy that shares nothing mutable with `state`. */
export function cloneChatStreamTransformState(
  state: ChatStreamTransformState,
): ChatStreamTransformState {
  return {
    ...state,
    pendingLineBytes: state.pendingLineBytes ? state.pendingLineBytes.slice() : null,
    ...cloneToolCallRepairState(state),
    finishReasons: [...state.finishReasons],
  };
}
