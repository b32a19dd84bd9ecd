import type { ReplyScript } from './create-reply-script';

/** The non-streaming reply in the key order of docs/qwen-upstream.md §2.5. */
export function buildChatCompletion({
  script,
  id,
  createdInSeconds,
  model,
}: {
  script: ReplyScript;
  id: string;
  createdInSeconds: number;
  model: string;
}): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: script.contentText };
  if (script.encodedReasoningPieces.length > 0) message.reasoning_content = script.reasoningText;
  if (script.toolCalls.length > 0) {
    message.tool_calls = script.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.argumentsJson },
    }));
  }
  return {
    choices: [{ message, finish_reason: script.finishReason, index: 0, logprobs: null }],
    object: 'chat.completion',
    usage: script.usage,
    created: createdInSeconds,
    system_fingerprint: null,
    model,
    id,
  };
}
