import type { ReplyScript } from './create-reply-script';

/**
 * Builds the SSE events of one reply, exactly in the shapes of reference §2.6: top-level keys
 * `choices, object, usage, created, system_fingerprint, model, id` with the same id/created on
 * every chunk and `usage:null` except on the usage chunk. The constant head and tail of a chunk
 * are built once per stream; only the delta varies.
 */
export function buildStreamEvents({
  script,
  id,
  createdInSeconds,
  model,
  includeUsage,
  combinedFinalChunk,
}: {
  script: ReplyScript;
  id: string;
  createdInSeconds: number;
  model: string;
  includeUsage: boolean;
  combinedFinalChunk: boolean;
}): string[] {
  const trailer = `"created":${createdInSeconds},"system_fingerprint":null,"model":${JSON.stringify(model)},"id":${JSON.stringify(id)}}\n\n`;
  const tail = `],"object":"chat.completion.chunk","usage":null,${trailer}`;
  const chunk = (choice: string): string => `data: {"choices":[${choice}${tail}`;
  const events: string[] = [];
  const thinking = script.encodedReasoningPieces.length > 0;
  let roleSent = false;

  if (thinking) {
    events.push(
      chunk(
        '{"delta":{"content":null,"role":"assistant","reasoning_content":""},"index":0,"logprobs":null,"finish_reason":null}',
      ),
    );
    roleSent = true;
    for (const piece of script.encodedReasoningPieces) {
      events.push(
        chunk(
          `{"finish_reason":null,"logprobs":null,"delta":{"content":null,"reasoning_content":${piece}},"index":0}`,
        ),
      );
    }
  }
  if (script.toolCalls.length > 0) {
    script.toolCalls.forEach((call, callIndex) => {
      const [firstPiece = '""', ...restPieces] = call.encodedArgumentPieces;
      const role = roleSent ? '' : ',"role":"assistant"';
      roleSent = true;
      events.push(
        chunk(
          `{"delta":{"content":null,"tool_calls":[{"index":${callIndex},"id":${JSON.stringify(call.id)},"type":"function","function":{"name":${JSON.stringify(call.name)},"arguments":${firstPiece}}}]${role}},"finish_reason":null,"index":0,"logprobs":null}`,
        ),
      );
      // the DashScope quirk: continuations repeat "id":"" and "type":"function"
      for (const piece of restPieces) {
        events.push(
          chunk(
            `{"delta":{"tool_calls":[{"function":{"arguments":${piece}},"index":${callIndex},"id":"","type":"function"}]},"index":0}`,
          ),
        );
      }
    });
  } else {
    if (!roleSent) {
      events.push(
        chunk(
          '{"delta":{"content":"","role":"assistant"},"index":0,"logprobs":null,"finish_reason":null}',
        ),
      );
    }
    const contentTail = thinking ? ',"reasoning_content":null},"index":0}' : '},"index":0}';
    for (const piece of script.encodedContentPieces) {
      events.push(
        chunk(`{"finish_reason":null,"logprobs":null,"delta":{"content":${piece}${contentTail}`),
      );
    }
  }
  const finishChoice =
    script.finishReason === 'tool_calls'
      ? '{"finish_reason":"tool_calls","delta":{},"index":0,"logprobs":null}'
      : '{"finish_reason":"stop","delta":{"content":""},"index":0,"logprobs":null}';
  const usageJson = JSON.stringify(script.usage);
  if (combinedFinalChunk && includeUsage) {
    events.push(
      `data: {"choices":[${finishChoice}],"object":"chat.completion.chunk","usage":${usageJson},${trailer}`,
    );
  } else {
    events.push(chunk(finishChoice));
    if (includeUsage) {
      events.push(
        `data: {"choices":[],"object":"chat.completion.chunk","usage":${usageJson},${trailer}`,
      );
    }
  }
  return events;
}

/** The terminating SSE event. */
export const DONE_EVENT = 'data: [DONE]\n\n';
