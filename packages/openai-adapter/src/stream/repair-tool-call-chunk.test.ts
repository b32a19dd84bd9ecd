import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assembleChunks,
  loadFixture,
  parseEvents,
  runTransform,
  splitAt,
} from '../../test/stream-helpers';
import { flushToolCallRepair, repairToolCallChunk } from './repair-tool-call-chunk';
import { createToolCallRepairState } from './tool-call-repair-state';

describe('tool calls survive odd upstream streams (chat transform)', () => {
  it("keeps the upstream's id when it arrives after a delta with an empty or missing id", () => {
    const { text } = runTransform({ parts: [loadFixture('tool-calls-late-id')] });
    const assembled = assembleChunks(parseEvents(text)).get(0);
    expect(assembled?.toolCalls).toEqual([
      {
        id: 'call_upstream_a1',
        type: 'function',
        name: 'read_file',
        arguments: '{"path":"a.ts"}',
      },
      { id: 'call_upstream_b2', type: 'function', name: 'grep', arguments: '{"pattern":"TODO"}' },
    ]);
    expect(assembled?.finishReason).toBe('tool_calls');
  });

  it('never drops a call with arguments but no name or id: both are synthesised, finish stays tool_calls', () => {
    const { text } = runTransform({ parts: [loadFixture('tool-calls-nameless')] });
    const assembled = assembleChunks(parseEvents(text)).get(0);
    expect(assembled?.toolCalls).toEqual([
      { id: 'call_nameless-0002_0_0', type: 'function', name: 'tool_0', arguments: '{"q":1}' },
    ]);
    expect(assembled?.finishReason).toBe('tool_calls');
  });

  it('holds for any split of those streams, with the state crossing structuredClone', () => {
    for (const name of ['tool-calls-late-id', 'tool-calls-nameless']) {
      const bytes = loadFixture(name);
      const whole = runTransform({ parts: [bytes] }).text;
      fc.assert(
        fc.property(
          fc.array(fc.nat({ max: bytes.length }), { maxLength: 40 }),
          fc.boolean(),
          (offsets, restoreEachTime) => {
            const split = runTransform({ parts: splitAt({ bytes, offsets }), restoreEachTime });
            expect(split.text).toBe(whole);
          },
        ),
        { numRuns: 100, seed: 2026 },
      );
    }
  });
});

/** One generated call, and how its deltas arrive. */
interface GeneratedCall {
  id: string;
  name: string;
  argumentPieces: string[];
  /** which delta (0-based) carries the id; -1 never */
  idAt: number;
  /** which delta carries the name; -1 never */
  nameAt: number;
  /** continuations repeat `"id":""` and `"type"` (Qwen) or omit them */
  repeatEmptyId: boolean;
}

const callArbitrary: fc.Arbitrary<GeneratedCall> = fc
  .record({
    id: fc.stringMatching(/^call_[a-z0-9]{4,12}$/),
    name: fc.stringMatching(/^[a-z_]{1,10}$/),
    argumentPieces: fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 6 }),
    idAt: fc.integer({ min: -1, max: 1 }),
    nameAt: fc.integer({ min: -1, max: 1 }),
    repeatEmptyId: fc.boolean(),
  })
  // a position past the last delta means "never"
  .map((call) => ({
    ...call,
    idAt: call.idAt < call.argumentPieces.length ? call.idAt : -1,
    nameAt: call.nameAt < call.argumentPieces.length ? call.nameAt : -1,
  }))
  .filter((call) => call.argumentPieces.join('') !== '' || call.idAt >= 0 || call.nameAt >= 0);

function createDeltas({ call, index }: { call: GeneratedCall; index: number }) {
  return call.argumentPieces.map((piece, position) => {
    const delta: Record<string, unknown> = { index };
    if (position === call.idAt) delta.id = call.id;
    else if (call.repeatEmptyId) delta.id = '';
    if (position === 0 || call.repeatEmptyId) delta.type = 'function';
    delta.function =
      position === call.nameAt ? { name: call.name, arguments: piece } : { arguments: piece };
    return delta;
  });
}

describe('repairToolCallChunk, the stage every translation shares', () => {
  it('keeps upstream ids and names that arrive by the second delta, synthesises the rest, drops nothing', () => {
    fc.assert(
      fc.property(
        fc.array(callArbitrary, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom('stop', 'tool_calls'),
        (calls, interleave, upstreamFinish) => {
          // the deltas of each call in order; interleaved calls alternate chunk by chunk
          const perCall = calls.map((call, index) => createDeltas({ call, index }));
          const order: Array<Record<string, unknown>> = [];
          if (interleave) {
            const longest = Math.max(...perCall.map((deltas) => deltas.length));
            for (let step = 0; step < longest; step++) {
              for (const deltas of perCall) {
                const delta = deltas[step];
                if (delta !== undefined) order.push(delta);
              }
            }
          } else {
            for (const deltas of perCall) order.push(...deltas);
          }
          const chunks = [
            ...order.map((toolCall) => ({
              id: 'chatcmpl-gen',
              choices: [{ index: 0, delta: { tool_calls: [toolCall] }, finish_reason: null }],
            })),
            {
              id: 'chatcmpl-gen',
              choices: [{ index: 0, delta: {}, finish_reason: upstreamFinish }],
            },
          ];
          const state = structuredClone(createToolCallRepairState());
          const events: unknown[] = [];
          for (const chunk of chunks) {
            repairToolCallChunk({ chunk, state });
            events.push(structuredClone(chunk));
          }
          const flushed = flushToolCallRepair({ state, model: 'm' });
          expect(flushed).toBeUndefined();
          const assembled = assembleChunks(events).get(0);
          expect(assembled?.finishReason).toBe('tool_calls');
          const toolCalls = assembled?.toolCalls ?? [];
          calls.forEach((call, index) => {
            const got = toolCalls[index];
            expect(got, `call ${index}`).toBeDefined();
            expect(got?.arguments).toBe(call.argumentPieces.join(''));
            // the hold lasts until the call's next delta: an id or name arriving by then is kept
            // (interleaving can end the hold earlier: another call's delta is a bound too)
            const heldUntil = interleave && calls.length > 1 ? 0 : 1;
            if (call.idAt >= 0 && call.idAt <= heldUntil) expect(got?.id).toBe(call.id);
            else if (call.idAt < 0) expect(got?.id).toBe(`call_gen_0_${index}`);
            if (call.nameAt >= 0 && call.nameAt <= heldUntil) expect(got?.name).toBe(call.name);
            else if (call.nameAt < 0) expect(got?.name).toBe(`tool_${index}`);
          });
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it('sends calls still held at [DONE] in a chunk of their own', () => {
    const state = createToolCallRepairState();
    const chunk = {
      id: 'chatcmpl-7',
      created: 5,
      choices: [
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { name: 'f', arguments: '{}' } }] },
          finish_reason: null,
        },
      ],
    };
    expect(repairToolCallChunk({ chunk, state })).toBe(true);
    expect(chunk.choices[0]?.delta).toEqual({});
    expect(flushToolCallRepair({ state, model: 'm' })).toEqual({
      id: 'chatcmpl-7',
      object: 'chat.completion.chunk',
      created: 5,
      model: 'm',
      choices: [
        {
          index: 0,
          delta: {
            tool_calls: [
              {
                index: 0,
                id: 'call_7_0_0',
                type: 'function',
                function: { name: 'f', arguments: '{}' },
              },
            ],
          },
          finish_reason: null,
        },
      ],
    });
    expect(flushToolCallRepair({ state, model: 'm' })).toBeUndefined();
  });

  it('leaves a canonical Qwen start untouched (no hold when id and name are there)', () => {
    const state = createToolCallRepairState();
    const toolCall = {
      index: 0,
      id: 'call_1',
      type: 'function',
      function: { name: 'f', arguments: '{' },
    };
    const chunk = {
      choices: [{ index: 0, delta: { tool_calls: [toolCall] }, finish_reason: null }],
    };
    expect(repairToolCallChunk({ chunk, state })).toBe(false);
    expect(state.heldToolCalls).toEqual([]);
    expect(state.startedToolCalls).toEqual(['0:0']);
  });
});
