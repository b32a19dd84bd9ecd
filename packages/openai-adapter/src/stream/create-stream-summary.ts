import type { Usage } from '../types/chat-completion';
import type { StreamSummary, StreamSummaryError } from './chat-stream-transform-state';

/** What every stream transform's state records for its summary. */
export interface SummarizedStreamState {
  finished: 'done' | 'upstream-error' | null;
  sawDone?: boolean;
  chunkCount: number;
  usage: Usage | null | undefined;
  upstreamModel?: string | null | undefined;
  error: StreamSummaryError | null | undefined;
  /** the terminal response object, when the caller asked to keep it (Responses) */
  finalResponse?: Record<string, unknown> | undefined;
}

/**
 * The summary every stream transform's `end()` reports, its fields always in the same order;
 * what is absent is left out, `finishReasons` and `error` are copies. `failureReported`: the
 * transform itself ended the client's stream with a failure (the stream is then `incomplete`).
 */
export function createStreamSummary({
  state,
  sawDone = state.sawDone ?? false,
  finishReasons,
  failureReported = false,
}: {
  state: SummarizedStreamState;
  sawDone?: boolean;
  finishReasons?: readonly string[];
  failureReported?: boolean;
}): StreamSummary {
  const summary: StreamSummary = {
    endState: failureReported ? 'incomplete' : (state.finished ?? 'incomplete'),
    sawDone,
    chunkCount: state.chunkCount,
  };
  if (state.usage) summary.usage = state.usage;
  const { upstreamModel } = state;
  if (upstreamModel !== null && upstreamModel !== undefined) summary.upstreamModel = upstreamModel;
  if (finishReasons !== undefined && finishReasons.length > 0) {
    summary.finishReasons = [...finishReasons];
  }
  if (state.error) summary.error = { ...state.error };
  if (failureReported) summary.failureReported = true;
  if (state.finalResponse !== undefined) summary.response = state.finalResponse;
  return summary;
}
