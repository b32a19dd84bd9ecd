import { createAnthropicStreamTransformState } from '../src/anthropic/stream/anthropic-stream-transform-state';
import { createResponsesStreamTransformState } from '../src/responses/responses-stream-transform-state';
import { createChatStreamTransformState } from '../src/stream/chat-stream-transform-state';
import type { StreamTransformState } from '../src/stream/restore-stream-transform';
import { createTestContext } from './responses-helpers';

/** A fresh state of each translating stream transform (chat, Anthropic, Responses). */
export const FRESH_TRANSLATION_STATES: Readonly<Record<string, () => StreamTransformState>> = {
  chat: () =>
    createChatStreamTransformState({ clientModel: 'qwen3-coder-plus', includeUsage: true }),
  anthropic: () =>
    createAnthropicStreamTransformState({ clientModel: 'claude-sonnet-4', messageId: 'msg_1' }),
  responses: () => createResponsesStreamTransformState({ context: createTestContext() }),
};
