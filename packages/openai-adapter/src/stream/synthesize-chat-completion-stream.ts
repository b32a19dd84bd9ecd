import type { ChatCompletion } from '../types/chat-completion';

const encoder = new TextEncoder();

/**
 * Re-emits a non-streaming completion as the equivalent OpenAI SSE stream (the proxy's fallback
 * after a streaming `504 stream timeout`): per choice a role chunk, the reasoning, the content,
 * each tool call whole (id, name and full arguments in one delta), a finish chunk; then a usage
 * chunk when the client asked for it, and `data: [DONE]`.
 */
export function synthesizeChatCompletionStream({
  completion,
  includeUsage,
}: {
  completion: ChatCompletion;
  includeUsage: boolean;
}): Uint8Array {
  const base: Record<string, unknown> = {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
  };
  if (completion.system_fingerprint !== undefined)
    base.system_fingerprint = completion.system_fingerprint;
  if (includeUsage) base.usage = null;
  let text = '';
  const emit = (choice: Record<string, unknown>): void => {
    text += `data: ${JSON.stringify({ ...base, choices: [choice] })}\n\n`;
  };
  for (const choice of completion.choices) {
    const { index, message } = choice;
    emit({ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null });
    if (message.reasoning_content) {
      emit({
        index,
        delta: { reasoning_content: message.reasoning_content },
        logprobs: null,
        finish_reason: null,
      });
    }
    if (message.content)
      emit({ index, delta: { content: message.content }, logprobs: null, finish_reason: null });
    message.tool_calls?.forEach((toolCall, toolIndex) => {
      const delta = {
        tool_calls: [
          { index: toolIndex, id: toolCall.id, type: 'function', function: toolCall.function },
        ],
      };
      emit({ index, delta, logprobs: null, finish_reason: null });
    });
    emit({ index, delta: {}, logprobs: null, finish_reason: choice.finish_reason });
  }
  if (includeUsage && completion.usage) {
    text += `data: ${JSON.stringify({ ...base, choices: [], usage: completion.usage })}\n\n`;
  }
  text += 'data: [DONE]\n\n';
  return encoder.encode(text);
}
