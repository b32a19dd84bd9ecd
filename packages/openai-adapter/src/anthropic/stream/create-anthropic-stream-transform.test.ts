import { describe, expect, it } from 'vitest';
import {
  assembleAnthropicEvents,
  encodeUpstream,
  parseAnthropicEvents,
  runAnthropicTransform,
} from '../../../test/anthropic-stream-helpers';
import { loadFixture } from '../../../test/stream-helpers';

function run(bytes: Uint8Array, options: { stopSequences?: string[] } = {}) {
  const { text, summary } = runAnthropicTransform({ parts: [bytes], ...options });
  const events = parseAnthropicEvents(text);
  return { events, message: assembleAnthropicEvents(events), summary };
}

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-x',
  model: 'qwen3-coder-plus',
  choices: [{ index: 0, delta, finish_reason: null, ...extra }],
});
const finish = (reason: string) => ({
  id: 'chatcmpl-x',
  choices: [{ index: 0, delta: {}, finish_reason: reason }],
});
const usage = {
  id: 'chatcmpl-x',
  choices: [],
  usage: {
    prompt_tokens: 900,
    completion_tokens: 12,
    total_tokens: 912,
    prompt_tokens_details: { cached_tokens: 512 },
  },
};

describe('createAnthropicStreamTransform', () => {
  it('plain text: the documented sequence with full usage in message_start and message_delta', () => {
    const { events, message, summary } = run(loadFixture('plain-text'));
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      ...Array(events.length - 6).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]?.data).toEqual({
      type: 'message_start',
      message: {
        id: 'msg_test01',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 42,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      },
    });
    expect(message.blocks).toEqual([
      { type: 'text', text: expect.stringContaining('Hello  there!') },
    ]);
    expect(message.stopReason).toBe('end_turn');
    expect(summary).toMatchObject({ endState: 'done', sawDone: true });
    const delta = events.at(-2)?.data as { usage: Record<string, number> };
    expect(Object.keys(delta.usage).sort()).toEqual([
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
      'input_tokens',
      'output_tokens',
    ]);
  });

  it('thinking: reasoning_content becomes a thinking block before the text', () => {
    const { message } = run(loadFixture('thinking'));
    expect(message.blocks.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(message.blocks[0]).toEqual({
      type: 'thinking',
      thinking: 'Compare both options; A is O(n²) and B is O(n log n).',
      signature: '',
    });
  });

  it('tool calls: one complete block per call in index order, input parses, stop_reason tool_use', () => {
    const { events, message } = run(loadFixture('tool-calls'));
    expect(message.blocks).toEqual([
      {
        type: 'tool_use',
        id: 'call_4f1c9e2ab7d84c0f9a1e22',
        name: 'read_file',
        input: { path: 'src/main.ts' },
      },
      {
        type: 'tool_use',
        id: 'call_9b2d7f00c1e34a5b8d6e11',
        name: 'grep',
        input: { pattern: 'TODO', path: 'src' },
      },
    ]);
    expect(message.stopReason).toBe('tool_use');
    expect(message.usage).toEqual({
      input_tokens: 880 - 768,
      output_tokens: 24,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 768,
    });
    expect(events.filter((event) => event.event === 'message_delta')).toHaveLength(1);
  });

  it('finish "stop" after tool calls (combined finish + usage chunk) is still tool_use', () => {
    const { message } = run(loadFixture('combined-final-chunk'));
    expect(message.blocks.map((block) => block.type)).toEqual(['text', 'tool_use']);
    expect(message.stopReason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 300, output_tokens: 20 });
  });

  it('uses the id the upstream sends late, after an empty and a missing one', () => {
    const { message } = run(
      encodeUpstream([
        chunk({
          tool_calls: [
            {
              index: 0,
              id: '',
              type: 'function',
              function: { name: 'Bash', arguments: '{"command":' },
            },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"ls"' } }] }),
        chunk({ tool_calls: [{ index: 0, id: 'call_late.42', function: { arguments: '}' } }] }),
        finish('tool_calls'),
        usage,
      ]),
    );
    expect(message.blocks).toEqual([
      { type: 'tool_use', id: 'call_late_42', name: 'Bash', input: { command: 'ls' } },
    ]);
  });

  it('keeps a call streamed with arguments but no name or id, with synthesised ones', () => {
    const { message } = run(
      encodeUpstream([
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
        chunk({
          tool_calls: [{ index: 1, id: 'call_b', function: { name: 'Read', arguments: '{}' } }],
        }),
        finish('stop'),
      ]),
    );
    expect(message.blocks).toEqual([
      { type: 'tool_use', id: 'toolu_test01_0', name: 'tool_0', input: { q: 1 } },
      { type: 'tool_use', id: 'call_b', name: 'Read', input: {} },
    ]);
    expect(message.stopReason).toBe('tool_use');
  });

  it('orders blocks by the upstream tool index even when calls interleave', () => {
    const { message } = run(
      encodeUpstream([
        chunk({
          tool_calls: [{ index: 1, id: 'call_1', function: { name: 'B', arguments: '{"b":' } }],
        }),
        chunk({
          tool_calls: [{ index: 0, id: 'call_0', function: { name: 'A', arguments: '{"a":1}' } }],
        }),
        chunk({ tool_calls: [{ index: 1, function: { arguments: '2}' } }] }),
        finish('tool_calls'),
      ]),
    );
    expect(message.blocks.map((block) => [block.name, block.input])).toEqual([
      ['A', { a: 1 }],
      ['B', { b: 2 }],
    ]);
  });

  it('repairs truncated tool arguments (finish length) into a parsable input', () => {
    const { message } = run(
      encodeUpstream([
        chunk({
          tool_calls: [
            {
              index: 0,
              id: 'call_0',
              function: { name: 'Write', arguments: '{"file_path":"a.ts","content":"x = 1' },
            },
          ],
        }),
        finish('length'),
      ]),
    );
    expect(message.blocks[0]?.input).toEqual({ file_path: 'a.ts', content: 'x = 1' });
    expect(message.stopReason).toBe('tool_use');
  });

  it('length → max_tokens; a reported stop sequence → stop_sequence', () => {
    expect(
      run(encodeUpstream([chunk({ content: 'abc' }), finish('length')])).message.stopReason,
    ).toBe('max_tokens');
    const { events, message } = run(
      encodeUpstream([
        chunk({ content: 'abc' }),
        { id: 'x', choices: [{ index: 0, delta: {}, finish_reason: 'stop', stop_reason: 'END' }] },
      ]),
      { stopSequences: ['END'] },
    );
    expect(message.stopReason).toBe('stop_sequence');
    expect(events.at(-2)?.data.delta).toEqual({
      stop_reason: 'stop_sequence',
      stop_sequence: 'END',
    });
  });

  it('text streamed between parts of a tool call follows the call instead of cutting it', () => {
    const { message } = run(
      encodeUpstream([
        chunk({ content: 'Running.' }),
        chunk({
          tool_calls: [
            { index: 0, id: 'call_0', function: { name: 'Bash', arguments: '{"command":' } },
          ],
        }),
        chunk({ content: '\n' }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"ls"}' } }] }),
        finish('tool_calls'),
      ]),
    );
    expect(message.blocks).toEqual([
      { type: 'text', text: 'Running.' },
      { type: 'tool_use', id: 'call_0', name: 'Bash', input: { command: 'ls' } },
      { type: 'text', text: '\n' },
    ]);
  });

  it('a mid-stream upstream error ends the stream with an `error` event, never a silent end', () => {
    const { events, message, summary } = run(loadFixture('mid-stream-error'));
    expect(events.at(-1)).toEqual({
      event: 'error',
      data: {
        type: 'error',
        error: { type: 'api_error', message: 'Output data may contain inappropriate content.' },
      },
    });
    expect(message.stopped).toBe(false);
    expect(summary).toMatchObject({
      endState: 'upstream-error',
      error: { relayCode: 'QWEN_RELAY_UPSTREAM_STREAM_ERROR' },
    });
  });

  it('error_finish (throttling) becomes a rate_limit_error event', () => {
    const { events } = run(loadFixture('error-finish'));
    expect(events.at(-1)?.data).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: expect.stringContaining('throttling') },
    });
  });

  it('a stream cut before [DONE] is incomplete and holds back message_delta/message_stop', () => {
    const { events, summary } = run(
      encodeUpstream([chunk({ content: 'abc' }), finish('stop')], { done: false }),
    );
    expect(summary.endState).toBe('incomplete');
    expect(events.map((event) => event.event)).not.toContain('message_stop');
  });

  it('pings while tool arguments are held back', () => {
    const fragments = Array.from({ length: 40 }, (_, index) =>
      chunk({ tool_calls: [{ index: 0, function: { arguments: index === 0 ? '{"a":"' : 'x' } }] }),
    );
    const { events, message } = run(
      encodeUpstream([
        chunk({ tool_calls: [{ index: 0, id: 'call_0', function: { name: 'A', arguments: '' } }] }),
        ...fragments,
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"}' } }] }),
        finish('tool_calls'),
      ]),
    );
    expect(events.filter((event) => event.event === 'ping').length).toBeGreaterThanOrEqual(3);
    expect(message.blocks[0]?.input).toEqual({ a: 'x'.repeat(39) });
  });
});
