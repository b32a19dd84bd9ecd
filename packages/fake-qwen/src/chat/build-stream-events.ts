import type { ChunkFramer } from './create-chunk-framer';
import type { ReplyScript } from './create-reply-script';

const THINKING_ROLE_CHOICE =
  '{"delta":{"content":null,"role":"assistant","reasoning_content":""},"index":0,"logprobs":null,"finish_reason":null}';
const TEXT_ROLE_CHOICE =
  '{"delta":{"content":"","role":"assistant"},"index":0,"logprobs":null,"finish_reason":null}';

function finishChoice(finishReason: ReplyScript['finishReason'], afterToolCalls: boolean): string {
  return afterToolCalls
    ? `{"finish_reason":"${finishReason}","delta":{},"index":0,"logprobs":null}`
    : `{"finish_reason":"${finishReason}","delta":{"content":""},"index":0,"logprobs":null}`;
}

/** Tool-call chunks: a first chunk with id/name, then continuations with the `"id":""` quirk. */
function pushToolCallEvents({
  events,
  script,
  framer,
  roleAlreadySent,
  emptyFunctionChunk,
}: {
  events: string[];
  script: ReplyScript;
  framer: ChunkFramer;
  roleAlreadySent: boolean;
  emptyFunctionChunk: boolean;
}): void {
  script.toolCalls.forEach((call, callIndex) => {
    const [firstPiece = '""', ...restPieces] = call.encodedArgumentPieces;
    const role = roleAlreadySent || callIndex > 0 ? '' : ',"role":"assistant"';
    events.push(
      framer.chunk(
        `{"delta":{"content":null,"tool_calls":[{"index":${callIndex},"id":${JSON.stringify(call.id)},"type":"function","function":{"name":${JSON.stringify(call.name)},"arguments":${firstPiece}}}]${role}},"finish_reason":null,"index":0,"logprobs":null}`,
      ),
    );
    if (emptyFunctionChunk) {
      events.push(
        framer.chunk(
          `{"delta":{"tool_calls":[{"function":{},"index":${callIndex},"id":"","type":"function"}]},"index":0}`,
        ),
      );
    }
    // the DashScope quirk: continuations repeat "id":"" and "type":"function"
    for (const piece of restPieces) {
      events.push(
        framer.chunk(
          `{"delta":{"tool_calls":[{"function":{"arguments":${piece}},"index":${callIndex},"id":"","type":"function"}]},"index":0}`,
        ),
      );
    }
  });
}

/**
 * Builds the SSE events of one reply (without `data: [DONE]`) in the shapes of
 * docs/qwen-upstream.md §2.6: reasoning first when thinking, then tool calls or text, a finish
 * chunk, and a usage chunk only when the client asked for usage (merged into the finish chunk in
 * combined mode).
 */
export function buildStreamEvents({
  script,
  framer,
  includeUsage,
  combinedFinalChunk,
  emptyFunctionChunk = false,
}: {
  script: ReplyScript;
  framer: ChunkFramer;
  includeUsage: boolean;
  combinedFinalChunk: boolean;
  emptyFunctionChunk?: boolean;
}): string[] {
  const events: string[] = [];
  const thinking = script.encodedReasoningPieces.length > 0;
  if (thinking) {
    events.push(framer.chunk(THINKING_ROLE_CHOICE));
    for (const piece of script.encodedReasoningPieces) {
      events.push(
        framer.chunk(
          `{"finish_reason":null,"logprobs":null,"delta":{"content":null,"reasoning_content":${piece}},"index":0}`,
        ),
      );
    }
  }
  const hasToolCalls = script.toolCalls.length > 0;
  if (hasToolCalls) {
    pushToolCallEvents({ events, script, framer, roleAlreadySent: thinking, emptyFunctionChunk });
  } else {
    if (!thinking) events.push(framer.chunk(TEXT_ROLE_CHOICE));
    const contentTail = thinking ? ',"reasoning_content":null},"index":0}' : '},"index":0}';
    for (const piece of script.encodedContentPieces) {
      events.push(
        framer.chunk(
          `{"finish_reason":null,"logprobs":null,"delta":{"content":${piece}${contentTail}`,
        ),
      );
    }
  }
  const finish = finishChoice(script.finishReason, hasToolCalls);
  const usageJson = JSON.stringify(script.usage);
  if (combinedFinalChunk && includeUsage) {
    events.push(framer.chunkWithUsage({ choiceJson: finish, usageJson }));
    return events;
  }
  events.push(framer.chunk(finish));
  if (includeUsage) events.push(framer.chunkWithUsage({ choiceJson: '', usageJson }));
  return events;
}

/** The terminating SSE event. */
export const DONE_EVENT = 'data: [DONE]\n\n';
