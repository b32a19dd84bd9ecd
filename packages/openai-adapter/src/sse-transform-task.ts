import type { StreamFailure, StreamSummary } from './stream/chat-stream-transform-state';
import {
  restoreStreamTransform,
  type StreamTransformState,
} from './stream/restore-stream-transform';

/** One piscina task: the stream's state, the reads since the last task, and whether the stream ended. */
export interface SseTransformTask {
  state: StreamTransformState;
  chunks: Uint8Array[];
  end: boolean;
  /** with `end`: why the stream stopped early (transforms that report failures themselves use it) */
  failure?: StreamFailure;
}

/** What a task returns: the state for the next batch, the client SSE bytes, and the summary once ended. */
export interface SseTransformTaskResult {
  state: StreamTransformState;
  output: Uint8Array;
  summary?: StreamSummary;
}

/**
 * Piscina task entry (`@qwen-relay/openai-adapter/sse-transform-task`): applies the same stream
 * transform as the inline path (chat, Anthropic or Responses, chosen by the state) to a batch, so both
 * produce identical bytes. Batches of one stream must run in order, each with the state the
 * previous one returned.
 */
export default function runSseTransformTask({
  state,
  chunks,
  end,
  failure,
}: SseTransformTask): SseTransformTaskResult {
  const transform = restoreStreamTransform(state);
  const outputs: Uint8Array[] = [];
  for (const chunk of chunks) outputs.push(transform.transform(chunk));
  let summary: StreamSummary | undefined;
  if (end) {
    const ended = transform.end(failure === undefined ? {} : { failure });
    outputs.push(ended.bytes);
    summary = ended.summary;
  }
  const result: SseTransformTaskResult = {
    state: transform.getState(),
    output: concatOutputs(outputs),
  };
  if (summary) result.summary = summary;
  return result;
}

export { runSseTransformTask };

function concatOutputs(outputs: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const output of outputs) length += output.length;
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const output of outputs) {
    joined.set(output, offset);
    offset += output.length;
  }
  return joined;
}
