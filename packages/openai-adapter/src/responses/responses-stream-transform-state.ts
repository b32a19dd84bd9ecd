import type { SseEventParserState } from '../sse/parse-sse-line';
import type { LineSplitterState } from '../sse/split-sse-lines';
import {
  DEFAULT_MAX_SSE_LINE_BYTES,
  type StreamSummaryError,
} from '../stream/chat-stream-transform-state';
import { clonePlainData } from '../stream/clone-plain-data';
import {
  cloneToolCallRepairState,
  createToolCallRepairState,
  type ToolCallRepairState,
} from '../stream/tool-call-repair-state';
import type { Usage } from '../types/chat-completion';
import type { ResponseContext, ResponseOutputItem } from './responses-types';

/** A streamed tool call gathered whole (after the repair stage): emitted once the upstream finishes. */
export interface GatheredToolCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

/**
 * Everything a ResponsesStreamTransform knows, as plain data (structured-clone-able), so batches of
 * one stream can be transformed by any worker as long as they run in order. It holds the output
 * so far, because `response.completed` repeats it whole.
 */
export interface ResponsesStreamTransformState
  extends LineSplitterState,
    SseEventParserState,
    ToolCallRepairState {
  kind: 'responses';
  version: 1;
  maxLineBytes: number;
  context: ResponseContext;
  /** the next event's sequence_number */
  sequenceNumber: number;
  /** response.created and response.in_progress were sent */
  started: boolean;
  /** the items announced so far, in output_index order */
  output: ResponseOutputItem[];
  /**
   * the JSON text of each item of `output` once it is closed (final), by output index, so the
   * terminal response does not serialise the answer again (absent in a state of an older build)
   */
  outputJson?: string[];
  /**
   * the response object's JSON text that is the same in every response event, once serialised
   * (the request echo among it; false: it cannot be written as text, see formatResponseJson)
   */
  responseJsonParts?: [string, string] | false | undefined;
  /** output index of the open message or reasoning item, -1 when none is open */
  openItemIndex: number;
  /**
   * the open item's `"item_id":…,"output_index":…` members as JSON text, which each of its
   * events repeats (absent when none is open, or in a state of an older build)
   */
  openItemIds?: string | undefined;
  /** streamed tool calls (repaired by repairToolCallChunk), gathered until the upstream finishes */
  toolCalls: GatheredToolCall[];
  finishReason: string | null;
  /** the model the upstream named in its chunks (for traces; the client sees its own name) */
  upstreamModel: string | null;
  usage: Usage | null;
  chunkCount: number;
  sawDone: boolean;
  /** set once a terminal event was sent; later input is ignored */
  finished: 'done' | 'upstream-error' | null;
  error: StreamSummaryError | null;
  /** report the terminal response object in the summary (for `store: true`) */
  keepFinalResponse?: boolean;
  /** the terminal response object, once sent, when `keepFinalResponse` is set */
  finalResponse?: Record<string, unknown>;
}

/** Fresh state for a new stream. */
export function createResponsesStreamTransformState({
  context,
  maxLineBytes = DEFAULT_MAX_SSE_LINE_BYTES,
  keepFinalResponse = false,
}: {
  context: ResponseContext;
  maxLineBytes?: number;
  keepFinalResponse?: boolean;
}): ResponsesStreamTransformState {
  const state: ResponsesStreamTransformState = {
    kind: 'responses',
    version: 1,
    maxLineBytes,
    context,
    pendingLineBytes: null,
    skipLeadingLf: false,
    eventData: null,
    eventType: null,
    sequenceNumber: 0,
    started: false,
    output: [],
    outputJson: [],
    responseJsonParts: undefined,
    openItemIndex: -1,
    openItemIds: undefined,
    toolCalls: [],
    ...createToolCallRepairState(),
    finishReason: null,
    upstreamModel: null,
    usage: null,
    chunkCount: 0,
    sawDone: false,
    finished: null,
    error: null,
  };
  // set after, not spread first: on Node 20 members added after a leading spread are slow
  if (keepFinalResponse) state.keepFinalResponse = true;
  return state;
}

/** A copy that shares nothing mutable with `state`. */
export function cloneResponsesStreamTransformState(
  state: ResponsesStreamTransformState,
): ResponsesStreamTransformState {
  const { startedToolCalls, heldToolCalls, ...rest } = state;
  return {
    ...clonePlainData(rest),
    ...cloneToolCallRepairState({ startedToolCalls, heldToolCalls }),
  };
}
