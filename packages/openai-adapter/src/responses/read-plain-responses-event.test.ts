import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createResponsesPassthroughTransform } from './create-responses-passthrough-transform';
import {
  readPlainResponsesEventSequence,
  readResponseStateEventSequence,
} from './read-plain-responses-event';

const NOTED = [
  'response.created',
  'response.in_progress',
  'response.completed',
  'response.incomplete',
  'response.failed',
  'error',
];

const data = (type: string, fields: Record<string, unknown>, sequenceNumber: unknown) =>
  JSON.stringify({ type, ...fields, sequence_number: sequenceNumber });

// how many levels of non-empty objects and arrays a value has (a leaf, [] or {}: 0)
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const inner = Object.values(value);
  return inner.length === 0 ? 0 : 1 + Math.max(...inner.map(depthOf));
}

// the text's parse when it is a JSON object, else undefined
function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  return parsed as Record<string, unknown>;
}

// the reference: what the passthrough's full path reads from an event it only counts
function readByParsing(text: string): number | undefined {
  const event = parseJsonObject(text);
  if (event === undefined) return undefined;
  const { type, sequence_number: sequenceNumber } = event;
  if (typeof type !== 'string' || NOTED.includes(type)) return undefined;
  return typeof sequenceNumber === 'number' ? sequenceNumber : undefined;
}

describe('readPlainResponsesEventSequence', () => {
  it('reads the events of a native stream that are only counted, as OpenAI and Alibaba write them', () => {
    const ids = { item_id: 'msg_1', output_index: 0, content_index: 0 };
    const cases: Array<[string, number]> = [
      [data('response.output_text.delta', { ...ids, delta: 'Hi "there"\n✓' }, 7), 7],
      [
        data(
          'response.output_text.delta',
          { ...ids, delta: 'x', logprobs: [], obfuscation: 'aB3' },
          12,
        ),
        12,
      ],
      [data('response.output_text.done', { ...ids, text: 'Hi' }, 8), 8],
      [
        data(
          'response.output_item.done',
          {
            output_index: 0,
            item: {
              id: 'msg_1',
              type: 'message',
              status: 'completed',
              content: [{ type: 'output_text', text: 'Hi', annotations: [] }],
              role: 'assistant',
            },
          },
          9,
        ),
        9,
      ],
      [
        data(
          'response.content_part.added',
          { ...ids, part: { type: 'output_text', text: '', annotations: [] } },
          3,
        ),
        3,
      ],
      [
        data(
          'response.output_item.added',
          {
            output_index: 0,
            item: {
              id: 'msg_1',
              type: 'message',
              status: 'in_progress',
              content: [],
              role: 'assistant',
            },
          },
          2,
        ),
        2,
      ],
      [
        data(
          'response.function_call_arguments.delta',
          { item_id: 'fc_1', output_index: 1, delta: '{"a":' },
          20,
        ),
        20,
      ],
      [
        data(
          'response.reasoning_summary_text.delta',
          { item_id: 'rs_1', summary_index: 0, delta: 'Hm' },
          1e3,
        ),
        1000,
      ],
    ];
    for (const [text, sequenceNumber] of cases) {
      expect(readPlainResponsesEventSequence(text)).toBe(sequenceNumber);
      expect(readByParsing(text)).toBe(sequenceNumber);
    }
  });

  it('leaves to the parse the noted events and anything outside its layout', () => {
    const response = { id: 'resp_1', status: 'in_progress', output: [] };
    const texts = [
      ...NOTED.map((type) => data(type, { response }, 1)),
      // another type or sequence_number member: the parse keeps the last one
      '{"type":"response.output_text.delta","type":"response.completed","sequence_number":1}',
      '{"type":"response.output_text.delta","sequence_number":1,"sequence_number":2}',
      '{"type":"response.output_text.delta","sequence_number":2,"delta":"x"}',
      // spelled with an escape, spaced, nested deeper, malformed
      '{"type":"response.output_text.delta","\\u0074ype":"error","sequence_number":1}',
      '{"type": "response.output_text.delta","sequence_number":1}',
      '{"type":"response.output_item.done","item":{"content":[{"type":"output_text","annotations":[{"a":1}]}]},"sequence_number":1}',
      '{"type":"response.output_text.delta","delta":"x","sequence_number":01}',
      '{"type":"response.output_text.delta","delta":"x,"sequence_number":1}',
      '{"type":"response.output_text.delta","delta":"x"}',
      '{"type":"response.output_text.delta","sequence_number":"1"}',
      `{"type":"response.output_text.delta","delta":"${'x'.repeat(20_000)}","sequence_number":1}`,
    ];
    for (const text of texts) expect(readPlainResponsesEventSequence(text)).toBeUndefined();
  });

  it('property: whatever it reads, parsing reads the same; what parsing reads of its layout, it reads', () => {
    const leaf = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constant([]),
      fc.constant({}),
    );
    // not an array index: an object puts those before `type`, out of the layout
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/);
    const value = fc.oneof(
      leaf,
      fc.dictionary(name, leaf, { minKeys: 1, maxKeys: 4 }),
      fc.array(leaf, { minLength: 1, maxLength: 4 }),
      fc.dictionary(
        name,
        fc.array(fc.dictionary(name, leaf, { maxKeys: 3 }), { minLength: 1, maxLength: 3 }),
        {
          minKeys: 1,
          maxKeys: 3,
        },
      ),
      // four levels: beyond the pattern
      fc.dictionary(
        name,
        fc.array(
          fc.dictionary(
            name,
            fc.array(fc.dictionary(name, leaf, { maxKeys: 2 }), { maxLength: 2 }),
            { maxKeys: 2 },
          ),
          { maxLength: 2 },
        ),
        { minKeys: 1, maxKeys: 2 },
      ),
    );
    const type = fc.oneof(
      fc.constantFrom(...NOTED, 'response.output_text.delta', 'response.content_part.added'),
      fc.stringMatching(/^[a-z_.]{1,30}$/),
    );
    const sequenceNumber = fc.oneof(fc.nat(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    fc.assert(
      fc.property(
        type,
        fc.dictionary(name, value, { maxKeys: 6 }),
        sequenceNumber,
        fc.nat(),
        fc.constantFrom('', ' ', ',', '"', '\\', '}', ']', '{"a":1}'),
        (eventType, fields, number, cut, inserted) => {
          const text = data(eventType, fields, number);
          // as written, and with a character inserted somewhere (most of those are not JSON)
          const at = cut % (text.length + 1);
          for (const candidate of [text, text.slice(0, at) + inserted + text.slice(at)]) {
            const read = readPlainResponsesEventSequence(candidate);
            if (read !== undefined) expect(read).toBe(readByParsing(candidate));
          }
          // every member of the layout is taken, so only a noted type or another `type` or
          // `sequence_number` member sends it to the parse
          const own = 'type' in fields || 'sequence_number' in fields;
          const deep = Object.values(fields).some((field) => depthOf(field) > 3);
          if (!own && !deep && text.length <= 16_384) {
            expect(readPlainResponsesEventSequence(text)).toBe(readByParsing(text));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

const STARTED = ['response.created', 'response.in_progress'];

// the reference: what the passthrough's full path takes from a started event (its type, an
// object response, a numeric sequence_number), or undefined
function readStartedByParsing(text: string): number | undefined {
  const event = parseJsonObject(text);
  if (event === undefined) return undefined;
  const { type, response, sequence_number: sequenceNumber } = event;
  if (typeof type !== 'string' || !STARTED.includes(type)) return undefined;
  if (typeof response !== 'object' || response === null || Array.isArray(response))
    return undefined;
  return typeof sequenceNumber === 'number' ? sequenceNumber : undefined;
}

describe('readResponseStateEventSequence', () => {
  it('reads response.created and response.in_progress as an OpenAI-style host writes them', () => {
    const response = {
      id: 'resp_1',
      object: 'response',
      status: 'in_progress',
      instructions: 'Reply with {"type":"error","sequence_number":9} and\u2028more\n'.repeat(300),
      tools: [{ type: 'function', name: 'shell', parameters: { type: 'object', properties: {} } }],
      metadata: { sequence_number: 7, type: 'response.completed' },
      text: { format: { type: 'text' } },
      output: [],
      usage: null,
    };
    expect(readResponseStateEventSequence(data('response.created', { response }, 0))).toBe(0);
    expect(readResponseStateEventSequence(data('response.in_progress', { response }, 1))).toBe(1);
    expect(readResponseStateEventSequence(data('response.created', { response: {} }, 2.5))).toBe(
      2.5,
    );
    // what the translation's own stream writes (the passthrough's fake host serves it)
    expect(
      readResponseStateEventSequence(
        '{"type":"response.created","response":{"id":"r","output":[],"usage":null},"sequence_number":0}',
      ),
    ).toBe(0);
  });

  it('leaves to the parse every other event and anything outside its layout', () => {
    const response = { id: 'resp_1', output: [] };
    const texts = [
      ...NOTED.filter((type) => !STARTED.includes(type)).map((type) => data(type, { response }, 1)),
      data('response.output_text.delta', { response }, 1),
      data('response.created', { response: null }, 1),
      data('response.created', { response: [] }, 1),
      data('response.created', { response: 'r' }, 1),
      data('response.created', {}, 1),
      data('response.created', { other: 1, response }, 1),
      data('response.created', { response }, '1'),
      JSON.stringify({ type: 'response.created', sequence_number: 1, response }),
      JSON.stringify({ response, type: 'response.created', sequence_number: 1 }),
      JSON.stringify({ type: 'response.created', response, sequence_number: 1 }, null, 1),
      '{"type":"response.created","response":{"id":"r"},"sequence_number":01}',
      '{"type":"response.created","response":{"id":"r"},"sequence_number":1',
      '{"type":"response.created","response":{"id":"r"},"sequence_number":1}\n',
    ];
    for (const text of texts) expect(readResponseStateEventSequence(text)).toBeUndefined();
  });

  it('property: whatever it reads of a JSON text, parsing reads the same; what parsing reads of its layout, it reads', () => {
    const leaf = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('},"sequence_number":3}', '"type":"error"', '\u2028'),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const name = fc.oneof(
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/),
      fc.constantFrom('type', 'sequence_number', 'response'),
    );
    const value = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(name, tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    const type = fc.constantFrom(...STARTED, 'response.completed', 'response.output_text.delta');
    const fieldName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,11}$/);
    fc.assert(
      fc.property(
        type,
        fc.oneof(fc.dictionary(name, value, { maxKeys: 5 }), value),
        fc.dictionary(fieldName, value, { maxKeys: 3 }),
        fc.oneof(fc.nat(), fc.double({ noNaN: true, noDefaultInfinity: true })),
        fc.nat(),
        fc.constantFrom('', ' ', ',', '"', '\\', '}', ']', '{"a":1}', '\n'),
        (eventType, response, extra, number, cut, inserted) => {
          const fields = Object.fromEntries(
            Object.entries(extra).filter(
              ([key]) => !['type', 'response', 'sequence_number'].includes(key),
            ),
          );
          const text = data(eventType, { response, ...fields }, number);
          const at = cut % (text.length + 1);
          for (const candidate of [text, text.slice(0, at) + inserted + text.slice(at)]) {
            const read = readResponseStateEventSequence(candidate);
            // a text that is not JSON may be taken (it is counted; see the reader's comment)
            if (read !== undefined && parseJsonObject(candidate) !== undefined) {
              expect(read).toBe(readStartedByParsing(candidate));
            }
          }
          // `response` second, `sequence_number` last: a started event is always taken
          if (Object.keys(fields).length === 0) {
            expect(readResponseStateEventSequence(text)).toBe(readStartedByParsing(text));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the passthrough with its hot path', () => {
  it('counts and numbers a stream as parsing every event would, however the stream is split', () => {
    const ids = { item_id: 'msg_1', output_index: 0, content_index: 0 };
    const events = [
      data('response.created', { response: { id: 'r', output: [] } }, 0),
      data(
        'response.output_item.added',
        { output_index: 0, item: { id: 'msg_1', content: [] } },
        1,
      ),
      data('response.output_text.delta', { ...ids, delta: 'a' }, 2),
      '{"type":"response.output_text.delta","delta":"broken","sequence_number":3',
      data('response.output_text.delta', { ...ids, delta: 'b', logprobs: [] }, 4),
      data('response.output_item.done', { item: { content: [{ annotations: [] }] } }, 5),
      data('response.output_item.done', { item: { content: [{ annotations: [{ a: 1 }] }] } }, 5.5),
      '[1,2]',
      data('response.output_text.delta', { ...ids, delta: 'c' }, 6.5),
    ];
    const stream = new TextEncoder().encode(events.map((text) => `data: ${text}\n\n`).join(''));
    fc.assert(
      fc.property(fc.array(fc.nat({ max: stream.length }), { maxLength: 6 }), (cuts) => {
        const transform = createResponsesPassthroughTransform();
        let from = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          transform.transform(stream.subarray(from, cut));
          from = cut;
        }
        transform.transform(stream.subarray(from));
        const state = transform.getState();
        // seven events parse to objects; the last numbered one is 6.5
        expect(state.chunkCount).toBe(7);
        expect(state.lastSequenceNumber).toBe(6.5);
      }),
      { numRuns: 200 },
    );
  });
});
