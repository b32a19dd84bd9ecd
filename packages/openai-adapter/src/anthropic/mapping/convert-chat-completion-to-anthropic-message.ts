import { convertQwenChatCompletionToOpenAI } from '../../mapping/convert-qwen-chat-completion-to-openai';
import { isPlainObject } from '../../validation/field-checks';
import type { AnthropicMessage, AnthropicResponseBlock } from '../types/anthropic-message';
import { convertUsageToAnthropicUsage } from './convert-usage-to-anthropic-usage';
import { createToolName, createToolUseId } from './create-tool-use-id';
import {
  mapFinishReasonToStopReason,
  readMatchedStopSequence,
} from './map-finish-reason-to-stop-reason';
import { repairToolInputJson } from './repair-tool-input-json';

/**
 * A Qwen JSON completion → an Anthropic `message`: `reasoning_content` as a `thinking` block,
 * then the text, then one `tool_use` block per call in the upstream's order (ids made valid,
 * missing names and ids synthesised, arguments repaired into an object), `stop_reason` and
 * usage. Throws what `convertQwenChatCompletionToOpenAI` throws for in-band errors and bodies
 * that are not completions.
 */
export function convertChatCompletionToAnthropicMessage({
  body,
  clientModel,
  messageId,
  stopSequences = [],
  estimatedInputTokens = 0,
}: {
  body: unknown;
  clientModel: string;
  messageId: string;
  stopSequences?: readonly string[];
  estimatedInputTokens?: number;
}): AnthropicMessage {
  const completion = convertQwenChatCompletionToOpenAI({ body, clientModel });
  const choice = completion.choices[0];
  const content: AnthropicResponseBlock[] = [];
  const message = choice?.message;
  if (message?.reasoning_content) {
    content.push({ type: 'thinking', thinking: message.reasoning_content, signature: '' });
  }
  if (message?.content) content.push({ type: 'text', text: message.content });
  const toolCalls = message?.tool_calls ?? [];
  toolCalls.forEach((toolCall, position) => {
    content.push({
      type: 'tool_use',
      id: createToolUseId({ upstreamId: toolCall.id, messageId, position }),
      name: createToolName({ name: toolCall.function.name, position }),
      input: JSON.parse(repairToolInputJson(toolCall.function.arguments)) as unknown,
    });
  });
  const rawChoice =
    isPlainObject(body) && Array.isArray(body.choices) && isPlainObject(body.choices[0])
      ? body.choices[0]
      : {};
  const stopSequence = readMatchedStopSequence({ choice: rawChoice, stopSequences });
  return {
    id: messageId,
    type: 'message',
    role: 'assistant',
    model: clientModel,
    content,
    stop_reason: mapFinishReasonToStopReason({
      finishReason: typeof rawChoice.finish_reason === 'string' ? rawChoice.finish_reason : null,
      hasToolUse: toolCalls.length > 0,
      stopSequence,
    }),
    stop_sequence: stopSequence,
    usage: convertUsageToAnthropicUsage({
      usage: completion.usage,
      fallbackInputTokens: estimatedInputTokens,
    }),
  };
}
