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

describe('the passthrough of a read of whole events', () => {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const LF_STREAM = NATIVE_STREAM.replaceAll('\r\n', '\n');

  it('gives back the read itself, or its part up to the end of the stream', () => {
    const bytes = encoder.encode(LF_STREAM);
    const transform = createAnthropicPassthroughTransform();
    expect(transform.transformForWrite(bytes)).toBe(bytes);
    expect(transform.end().summary).toMatchObject({ endState: 'done', chunkCount: 6 });

    const after = encoder.encode(`${LF_STREAM}event: ping\ndata: {"type":"ping"}\n\n`);
    const ended = createAnthropicPassthroughTransform();
    const output = ended.transformForWrite(after);
    expect(output).toBeInstanceOf(Uint8Array);
    expect(decoder.decode(output as Uint8Array)).toBe(LF_STREAM);
    expect(ended.transformForWrite(encoder.encode('event: ping\n\n'))).toBe('');
  });

  // the reads each take handleLine when fed byte by byte (a read of one byte is never whole)
  function expectByteByByteResult({
    bytes,
    offsets,
    maxLineBytes = 1024 * 1024,
  }: {
    bytes: Uint8Array;
    offsets: number[];
    maxLineBytes?: number;
  }) {
    const outputs: Uint8Array[] = [];
    const transform = createAnthropicPassthroughTransform({ maxLineBytes });
    for (const part of splitAt({ bytes, offsets })) {
      const output = transform.transformForWrite(part);
      outputs.push(typeof output === 'string' ? encoder.encode(output) : output);
    }
    const ended = transform.end();
    outputs.push(ended.bytes);

    const byByte = createAnthropicPassthroughTransform({ maxLineBytes });
    const expected: Uint8Array[] = [];
    for (let index = 0; index < bytes.length; index++) {
      expected.push(byByte.transform(bytes.subarray(index, index + 1)));
    }
    const reference = byByte.end();
    expected.push(reference.bytes);
    expect(decodeAll(outputs)).toBe(decodeAll(expected));
    expect(ended.summary).toEqual(reference.summary);
  }

  it('a read that is not given back as it came: the bytes of a byte-by-byte read', () => {
    const ping = 'event: ping\ndata: {"type":"ping"}\n\n';
    const reads = [
      `\n${ping}`, // a blank line no event needed, first
      `${ping}\n${ping}`, // and between two events
      ping.replaceAll('\n', '\r\n'),
      ping.replaceAll('\n', '\r'),
      `${ping}event: ping\n`, // an event cut off
      `${ping}${LF_STREAM}${ping}`, // the end of the stream, then more
      `\uFEFF${ping}`, // a line that starts with a byte order mark (decoded without it)
      `${ping}\uFEFF${ping}`,
    ];
    for (const read of reads) {
      const bytes = encoder.encode(read);
      expectByteByByteResult({ bytes, offsets: [] });
      expectByteByByteResult({ bytes, offsets: [ping.length] });
      expectByteByByteResult({ bytes, offsets: [], maxLineBytes: 16 });
    }
  });

  it('property: any stream, any split, either output form: the bytes and summary of a byte-by-byte read', () => {
    const lineEnd = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');
    const event = (type: string, data: string) =>
      fc
        .tuple(lineEnd, lineEnd, lineEnd, fc.boolean())
        .map(
          ([first, second, blank, named]) =>
            `${named ? `event: ${type}${first}` : ''}data: ${data}${second}${blank}`,
        );
    const piece = fc.oneof(
      event(
        'message_start',
        '{"type":"message_start","message":{"id":"m","usage":{"input_tokens":9,"output_tokens":1}}}',
      ),
      fc
        .string({ unit: 'grapheme', maxLength: 8 })
        .chain((text) =>
          event(
            'content_block_delta',
            JSON.stringify({ type: 'content_block_delta', index: 0, delta: { text } }),
          ),
        ),
      event('message_delta', '{"type":"message_delta","usage":{"output_tokens":5}}'),
      event('message_stop', '{"type":"message_stop"}'),
      event('error', '{"type":"error","error":{"type":"overloaded_error","message":"busy"}}'),
      event('ping', '{"type":"ping"}'),
      fc.constantFrom(': keep-alive\n\n', 'event: ping\n\n', '\n', '\r\n', 'data: {"type":"x"}\n'),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.constantFrom(1024 * 1024, 48),
        (pieces, pieceCuts, byteCuts, maxLineBytes) => {
          const bytes = encoder.encode(pieces.join(''));
          // reads cut between events (whole-events reads) and anywhere
          const boundaries = pieces.map(
            (_, index) => encoder.encode(pieces.slice(0, index + 1).join('')).length,
          );
          const offsets = [
            ...pieceCuts.map((cut) => boundaries[cut % boundaries.length] as number),
            ...byteCuts.map((cut) => cut % (bytes.length + 1)),
          ];
          expectByteByByteResult({ bytes, offsets, maxLineBytes });
        },
      ),
      { numRuns: 500 },
    );
  });
});
