import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAll, splitAt } from '../../../test/stream-helpers';
import {
  type AnthropicPassthroughState,
  createAnthropicPassthroughState,
  createAnthropicPassthroughTransform,
  restoreAnthropicPassthroughTransform,
} from './create-anthropic-passthrough-transform';

const NATIVE_STREAM = [
  'event: message_start',
  'data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"qwen3-coder-plus","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":100,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":50}}}',
  '',
  ': keep-alive',
  '',
  'event: content_block_start',
  'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi ✓"}}',
  '',
  'event: content_block_stop',
  'data: {"type":"content_block_stop","index":0}',
  '',
  'event: message_delta',
  'data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":7}}',
  '',
  'event: message_stop',
  'data: {"type":"message_stop"}',
  '',
  '',
].join('\r\n');

function run(parts: Uint8Array[], restoreEachTime = false) {
  let transform = createAnthropicPassthroughTransform();
  const outputs: Uint8Array[] = [];
  for (const part of parts) {
    outputs.push(transform.transform(part));
    if (restoreEachTime) {
      const state: AnthropicPassthroughState = structuredClone(transform.getState());
      transform = restoreAnthropicPassthroughTransform(state);
    }
  }
  const { bytes, summary } = transform.end();
  outputs.push(bytes);
  return { text: decodeAll(outputs), summary };
}

describe('createAnthropicPassthroughTransform', () => {
  it('passes complete events through unchanged (LF line ends) and notes message_stop and usage', () => {
    const { text, summary } = run([new TextEncoder().encode(NATIVE_STREAM)]);
    expect(text).toBe(NATIVE_STREAM.replaceAll('\r\n', '\n'));
    expect(summary).toEqual({
      endState: 'done',
      sawDone: true,
      chunkCount: 6,
      usage: {
        prompt_tokens: 150,
        completion_tokens: 7,
        total_tokens: 157,
        prompt_tokens_details: { cached_tokens: 50 },
      },
    });
  });

  it('gives the same bytes for any split, with state round trips', () => {
    const bytes = new TextEncoder().encode(NATIVE_STREAM);
    const reference = run([bytes]);
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: bytes.length }), { maxLength: 40 }),
        fc.boolean(),
        (offsets, restore) => {
          const result = run(splitAt({ bytes, offsets }), restore);
          expect(result).toEqual(reference);
        },
      ),
      { numRuns: 100, seed: 3 },
    );
  });

  it('holds back a cut event and reports the stream incomplete; an upstream error event ends it', () => {
    const cut = NATIVE_STREAM.slice(0, NATIVE_STREAM.indexOf('"text":"Hi'));
    const { text, summary } = run([new TextEncoder().encode(cut)]);
    expect(
      text.endsWith(
        'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
      ),
    ).toBe(true);
    expect(summary.endState).toBe('incomplete');

    const failed = run([
      new TextEncoder().encode(
        'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\nevent: ping\ndata: {"type":"ping"}\n\n',
      ),
    ]);
    expect(failed.text).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    );
    expect(failed.summary).toMatchObject({
      endState: 'upstream-error',
      error: { type: 'overloaded_error' },
    });
  });

  it("takes an event's kind from its event line, and from its data only when it has none", () => {
    const stream = [
      // named a delta: counted and passed on, whatever its data says
      'event: content_block_delta\ndata: {"type":"message_stop"}\n\n',
      'event: content_block_delta\ndata: {not json\n\n',
      // no event line: the data's type
      'data: {"type":"message_delta","delta":{},"usage":{"input_tokens":3,"output_tokens":4}}\n\n',
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    ].join('');
    const { text, summary } = run([new TextEncoder().encode(stream)]);
    expect(text).toBe(stream);
    expect(summary).toEqual({
      endState: 'done',
      sawDone: true,
      chunkCount: 4,
      usage: {
        prompt_tokens: 3,
        completion_tokens: 4,
        total_tokens: 7,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    });
    const early = run([new TextEncoder().encode(stream.split('\n\n')[0] + '\n\n')]);
    expect(early.summary.endState).toBe('incomplete');
  });

  it('a fresh state is what a fresh transform holds, a new object each time, adoptable', () => {
    for (const options of [{}, { maxLineBytes: 4096 }]) {
      expect(createAnthropicPassthroughState(options)).toStrictEqual(
        createAnthropicPassthroughTransform(options).getState(),
      );
    }
    const first = createAnthropicPassthroughState();
    expect(createAnthropicPassthroughState()).not.toBe(first);
    const adopted = restoreAnthropicPassthroughTransform(first, { adopt: true });
    adopted.transform(new TextEncoder().encode(NATIVE_STREAM));
    adopted.end();
    expect(first.chunkCount).toBeGreaterThan(0);
    expect(createAnthropicPassthroughState()).toMatchObject({ chunkCount: 0, finished: null });
  });
});
