import type { ChatContentPart, ChatMessage } from '../types/chat-completion-request';

const EPHEMERAL_CACHE_CONTROL = Object.freeze({ type: 'ephemeral' });

/**
 * The unverified portal.qwen.ai payload rules (docs/qwen-upstream.md §2.3, reported by one proxy):
 * a system message must carry an array content whose last part is cache-controlled, and a user
 * message must not carry an array of text parts only (flattened to a string, `" "` when empty).
 * Returns the same message object when nothing changes.
 */
export function applyPortalQuirks(message: ChatMessage): ChatMessage {
  if (message.role === 'system') {
    const parts = toTextParts(message.content);
    if (parts.length === 0) parts.push({ type: 'text', text: ' ' });
    const last = parts.length - 1;
    return {
      ...message,
      content: parts.map((part, index) =>
        index === last ? { ...part, cache_control: EPHEMERAL_CACHE_CONTROL } : part,
      ),
    };
  }
  if (message.role === 'user' && Array.isArray(message.content)) {
    const { content } = message;
    if (!content.every((part) => part.type === 'text')) return message;
    const text = content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
    return { ...message, content: text === '' ? ' ' : text };
  }
  return message;
}

function toTextParts(content: ChatMessage['content']): ChatContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (Array.isArray(content)) return content.map((part) => ({ ...part }));
  return [];
}
