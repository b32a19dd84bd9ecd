import { describe, expect, it } from 'vitest';
import {
  assembleAnthropicEvents,
  parseAnthropicEvents,
} from '../../../test/anthropic-stream-helpers';
import { synthesizeAnthropicMessageStream } from '../stream/synthesize-anthropic-message-stream';
import { convertChatCompletionToAnthropicMessage } from './convert-chat-completion-to-anthropic-message';

const usage = {
  prompt_tokens: 1000,
  completion_tokens: 50,
  total_tokens: 1050,
  prompt_tokens_details: { cached_tokens: 600 },
};

function convert(message: Record<string, unknown>, finishReason = 'stop', extra = {}) {
  return convertChatCompletionToAnthropicMessage({
    body: {
      id: 'chatcmpl-1',
      model: 'qwen3-coder-plus',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', ...message },
          finish_reason: finishReason,
          ...extra,
        },
      ],
      usage,
    },
    clientModel: 'claude-sonnet-4-5',
    messageId: 'msg_abc',
    stopSequences: ['END'],
  });
}

describe('convertChatCompletionToAnthropicMessage', () => {
  it('maps text, thinking and usage (input = prompt − cached)', () => {
    expect(convert({ content: 'Hi', reasoning_content: 'think' })).toEqual({
      id: 'msg_abc',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'thinking', thinking: 'think', signature: '' },
        { type: 'text', text: 'Hi' },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 400,
        output_tokens: 50,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 600,
      },
    });
  });

  it('maps tool calls in order, with valid ids, synthesised names and repaired input; stop → tool_use', () => {
    const message = convert({
      content: '',
      tool_calls: [
        {
          id: 'call:1',
          type: 'function',
          function: { name: 'Read', arguments: '{"file_path":"a"}' },
        },
        { id: '', type: 'function', function: { name: '', arguments: '{"x":1' } },
      ],
    });
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'Read', input: { file_path: 'a' } },
      { type: 'tool_use', id: 'call_1_0_1', name: 'tool_1', input: { x: 1 } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
  });

  it('length → max_tokens; a reported stop sequence → stop_sequence', () => {
    expect(convert({ content: 'a' }, 'length').stop_reason).toBe('max_tokens');
    const stopped = convert({ content: 'a' }, 'stop', { stop_reason: 'END' });
    expect([stopped.stop_reason, stopped.stop_sequence]).toEqual(['stop_sequence', 'END']);
  });

  it('throws the upstream in-band error', () => {
    expect(() =>
      convertChatCompletionToAnthropicMessage({
        body: { error: { message: 'bad', type: 'invalid_request_error' } },
        clientModel: 'm',
        messageId: 'msg_1',
      }),
    ).toThrow('bad');
  });

  it('re-emits as a stream that assembles to the same message', () => {
    const message = convert({
      content: 'Hi',
      reasoning_content: 'think',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'Read', arguments: '{"a":1}' } },
      ],
    });
    const events = parseAnthropicEvents(
      new TextDecoder().decode(synthesizeAnthropicMessageStream(message)),
    );
    const assembled = assembleAnthropicEvents(events);
    expect(assembled.blocks).toEqual(message.content);
    expect(assembled.stopReason).toBe('tool_use');
    expect(assembled.usage).toEqual(message.usage);
  });
});
