import type { ChatStreamTransformState, StreamSummary } from './stream/chat-stream-transform-state';
import { restoreChatStreamTransform } from './stream/create-chat-stream-transform';

/** One piscina task: the stream's state, the reads since the last task, and whether the stream ended. */
export interface SseTransformTask {
  state: ChatStreamTransformState;
  chunks: Uint8Array[];
  end: boolean;
}

/** What a task returns: the state for the next batch, the OpenAI SSE bytes, and the summary once ended. */
export interface SseTransformTaskResult {
  state: ChatStreamTransformState;
  output: Uint8Array;
  summary?: StreamSummary;
}

/**
 * Piscina task entry (`@qwen-relay/openai-adapter/sse-transform-task`): applies the same
 * ChatStreamTransform as the inline path to a batch, so both produce identical bytes. Batches of
 * one stream must run in order, each with the state the previous one returned.
 */
export default function runSseTransformTask({
  state,
  chunks,
  end,
}: SseTransformTask): SseTransformTaskResult {
  const transform = restoreChatStreamTransform(state);
  const outputs: Uint8Array[] = [];
  for (const chunk of chunks) outputs.push(transform.transform(chunk));
  let summary: StreamSummary | undefined;
  if (end) {
    const ended = transform.end();
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
