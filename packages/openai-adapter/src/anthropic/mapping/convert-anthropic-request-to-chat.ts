import type { ChatCompletionRequest, ChatMessage } from '../../types/chat-completion-request';
import type { AnthropicMessagesRequest } from '../types/anthropic-messages-request';
import {
  convertAnthropicMessagesToChat,
  convertAnthropicSystemToText,
} from './convert-anthropic-messages-to-chat';
import {
  convertAnthropicToolChoiceToChat,
  convertAnthropicToolsToChat,
} from './convert-anthropic-tools-to-chat';

/**
 * A validated Anthropic Messages request → the equivalent OpenAI chat request, which then goes
 * through the chat mapping (`convertChatCompletionRequestToQwen`: model aliases, output limit,
 * usage in streams). Only fields with a chat meaning are carried: `max_tokens`,
 * `stop_sequences` → `stop`, `temperature`, `top_p`, `top_k`, `metadata.user_id` → `user`,
 * tools and `tool_choice`. `thinking` needs the upstream model's family and is mapped after the
 * chat mapping resolved it (`convertAnthropicRequestToQwen`).
 */
export function convertAnthropicRequestToChat(
  request: AnthropicMessagesRequest,
): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  const system = convertAnthropicSystemToText(request.system);
  if (system !== undefined) messages.push({ role: 'system', content: system });
  messages.push(...convertAnthropicMessagesToChat(request.messages));

  const chat: ChatCompletionRequest = {
    model: request.model,
    messages,
    max_tokens: request.max_tokens,
    stream: request.stream === true,
  };
  if (request.stop_sequences !== undefined && request.stop_sequences.length > 0) {
    chat.stop = [...request.stop_sequences];
  }
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.top_p !== undefined) chat.top_p = request.top_p;
  if (request.top_k !== undefined) chat.top_k = request.top_k;
  const userId = request.metadata?.user_id;
  if (typeof userId === 'string' && userId !== '') chat.user = userId;

  const tools = convertAnthropicToolsToChat(request.tools);
  if (tools.length > 0) {
    chat.tools = tools;
    Object.assign(chat, convertAnthropicToolChoiceToChat(request.tool_choice));
  }
  return chat;
}
