import type { ChatCompletionRequest, ChatMessage } from '../../types/chat-completion-request';
import { estimateTextTokens } from './estimate-text-tokens';

// the chat template's frame per message (`<|im_start|>role\n … <|im_end|>\n`) and the reply's start
const TOKENS_PER_MESSAGE = 5;
const TOKENS_FOR_REPLY = 3;
// the template's instructions around a tool list, and around each tool call in history
const TOKENS_FOR_TOOL_PREAMBLE = 90;
const TOKENS_PER_TOOL_CALL = 8;
// a typical screenshot at Qwen-VL's 28 × 28 pixels per token; the real count depends on the size
const TOKENS_PER_IMAGE = 1000;

/**
 * Estimates the prompt tokens of a chat request as the upstream will count them: every message's
 * text inside the chat template's frame, tool calls and tool definitions as the JSON the
 * template inserts, a fixed cost per image. At least 1 for any request.
 */
export function estimateChatPromptTokens(request: ChatCompletionRequest): number {
  let total = TOKENS_FOR_REPLY;
  for (const message of request.messages) total += estimateMessageTokens(message);
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    total += TOKENS_FOR_TOOL_PREAMBLE;
    for (const tool of tools)
      total += estimateTextTokens(JSON.stringify(tool)) + TOKENS_PER_MESSAGE;
  }
  return Math.max(1, total);
}

function estimateMessageTokens(message: ChatMessage): number {
  let total = TOKENS_PER_MESSAGE;
  const { content } = message;
  if (typeof content === 'string') total += estimateTextTokens(content);
  else if (Array.isArray(content)) {
    for (const part of content) {
      if (part.type === 'text' && typeof part.text === 'string')
        total += estimateTextTokens(part.text);
      else if (part.type === 'image_url') total += TOKENS_PER_IMAGE;
    }
  }
  for (const call of message.tool_calls ?? []) {
    total +=
      TOKENS_PER_TOOL_CALL +
      estimateTextTokens(call.function.name) +
      estimateTextTokens(call.function.arguments);
  }
  return total;
}
