import type { ChatContentPart, ChatMessage } from '../../types/chat-completion-request';
import { isPlainObject } from '../../validation/field-checks';
import type {
  AnthropicContentBlock,
  AnthropicMessageParam,
  AnthropicSource,
  AnthropicTextBlock,
} from '../types/anthropic-messages-request';

// Claude Code (≥ 2.1.x) puts a per-request billing line into system[0]; it means nothing to Qwen
// and, changing on every request, would defeat the upstream's prefix cache
const BILLING_HEADER_PREFIX = 'x-anthropic-billing-header:';

/** `system` (a string or text blocks) → the text of one system message, billing lines dropped; undefined when empty. */
export function convertAnthropicSystemToText(
  system: string | AnthropicTextBlock[] | undefined,
): string | undefined {
  if (system === undefined) return undefined;
  const texts = (typeof system === 'string' ? [system] : system.map((block) => block.text)).filter(
    (text) => text !== '' && !text.trimStart().startsWith(BILLING_HEADER_PREFIX),
  );
  return texts.length === 0 ? undefined : texts.join('\n\n');
}

/**
 * Anthropic messages → OpenAI chat messages. A user turn's `tool_result` blocks become `tool`
 * messages placed first (they answer the previous assistant turn's calls), images inside a tool
 * result follow in a user message (chat tool messages carry text only); an assistant turn's
 * `tool_use` blocks become `tool_calls` and its `thinking` becomes `reasoning_content`. Blocks the
 * upstream cannot take (`redacted_thinking`, server tool blocks) are dropped.
 */
export function convertAnthropicMessagesToChat(messages: AnthropicMessageParam[]): ChatMessage[] {
  const converted: ChatMessage[] = [];
  for (const message of messages) {
    if (message.role === 'assistant') converted.push(convertAssistantMessage(message.content));
    else converted.push(...convertUserMessage(message.content));
  }
  return converted;
}

function convertUserMessage(content: string | AnthropicContentBlock[]): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const messages: ChatMessage[] = [];
  const parts: ChatContentPart[] = [];
  for (const block of content) {
    if (block.type === 'tool_result') {
      const { text, images } = convertToolResultContent(block.content);
      const isError = block.is_error === true;
      messages.push({
        role: 'tool',
        tool_call_id: String(block.tool_use_id),
        content: isError ? `Error: ${text}` : text,
      });
      parts.push(...images);
      continue;
    }
    const part = convertBlockToPart(block);
    if (part) parts.push(part);
  }
  if (parts.length > 0) messages.push({ role: 'user', content: simplifyParts(parts) });
  return messages;
}

function convertAssistantMessage(content: string | AnthropicContentBlock[]): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: NonNullable<ChatMessage['tool_calls']> = [];
  for (const block of content) {
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      reasoning.push(block.thinking);
    } else if (block.type === 'tool_use') {
      toolCalls.push({
        id: String(block.id),
        type: 'function',
        function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const message: ChatMessage = {
    role: 'assistant',
    content: texts.length === 0 && toolCalls.length > 0 ? null : texts.join(''),
  };
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('');
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}

function convertToolResultContent(content: unknown): { text: string; images: ChatContentPart[] } {
  if (content === undefined || content === null) return { text: '', images: [] };
  if (typeof content === 'string') return { text: content, images: [] };
  const texts: string[] = [];
  const images: ChatContentPart[] = [];
  for (const block of Array.isArray(content) ? content : []) {
    if (!isPlainObject(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    else if (block.type === 'image') {
      const part = convertBlockToPart(block as AnthropicContentBlock);
      if (part) images.push(part);
    } else if (block.type === 'document') {
      const text = readDocumentText(block.source);
      if (text !== undefined) texts.push(text);
    }
  }
  return { text: texts.join('\n'), images };
}

function convertBlockToPart(block: AnthropicContentBlock): ChatContentPart | undefined {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? { type: 'text', text: block.text } : undefined;
    case 'image': {
      const url = readImageUrl(block.source);
      return url === undefined ? undefined : { type: 'image_url', image_url: { url } };
    }
    case 'document': {
      const text = readDocumentText(block.source);
      return text === undefined ? undefined : { type: 'text', text };
    }
    default:
      return undefined;
  }
}

function readImageUrl(source: unknown): string | undefined {
  if (!isPlainObject(source)) return undefined;
  const typed = source as AnthropicSource;
  if (typed.type === 'base64' && typeof typed.data === 'string') {
    const mediaType = typeof typed.media_type === 'string' ? typed.media_type : 'image/png';
    return `data:${mediaType};base64,${typed.data}`;
  }
  if (typed.type === 'url' && typeof typed.url === 'string') return typed.url;
  return undefined;
}

function readDocumentText(source: unknown): string | undefined {
  if (!isPlainObject(source)) return undefined;
  return source.type === 'text' && typeof source.data === 'string' ? source.data : undefined;
}

// a user turn of text parts only is sent as a string: every chat upstream takes that
function simplifyParts(parts: ChatContentPart[]): string | ChatContentPart[] {
  if (!parts.every((part) => part.type === 'text')) return parts;
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n\n');
}
