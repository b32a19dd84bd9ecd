import type { AnthropicMessage, AnthropicResponseBlock } from '../types/anthropic-message';
import {
  ANTHROPIC_MESSAGE_STOP_EVENT,
  ANTHROPIC_PING_EVENT,
  formatAnthropicEvent,
  formatBlockStopEvent,
} from './format-anthropic-event';

const encoder = new TextEncoder();

/**
 * Re-emits a complete message as the Anthropic SSE stream a client asked for (used when the
 * upstream answered a streaming call with JSON, e.g. the stream-timeout fallback): the same
 * events a live stream has, each block in one delta.
 */
export function synthesizeAnthropicMessageStream(message: AnthropicMessage): Uint8Array {
  let text = formatAnthropicEvent({
    type: 'message_start',
    message: {
      ...message,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...message.usage, output_tokens: 0 },
    },
  });
  text += ANTHROPIC_PING_EVENT;
  message.content.forEach((block, index) => {
    text += formatAnthropicEvent({
      type: 'content_block_start',
      index,
      content_block: emptyBlock(block),
    });
    text += formatAnthropicEvent({ type: 'content_block_delta', index, delta: blockDelta(block) });
    text += formatBlockStopEvent(index);
  });
  text += formatAnthropicEvent({
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
    usage: message.usage,
  });
  text += ANTHROPIC_MESSAGE_STOP_EVENT;
  return encoder.encode(text);
}

function emptyBlock(block: AnthropicResponseBlock): AnthropicResponseBlock {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: '' };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  }
}

function blockDelta(block: AnthropicResponseBlock): Record<string, string> {
  switch (block.type) {
    case 'text':
      return { type: 'text_delta', text: block.text };
    case 'thinking':
      return { type: 'thinking_delta', thinking: block.thinking };
    case 'tool_use':
      return { type: 'input_json_delta', partial_json: JSON.stringify(block.input) };
  }
}
