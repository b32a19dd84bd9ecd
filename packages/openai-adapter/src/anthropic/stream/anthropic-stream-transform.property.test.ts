import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assembleAnthropicEvents,
  encodeUpstream,
  parseAnthropicEvents,
  runAnthropicTransform,
} from '../../../test/anthropic-stream-helpers';
import { FIXTURE_NAMES, loadFixture, splitAt } from '../../../test/stream-helpers';

describe('property: any split of the upstream stream gives the same Anthropic events', () => {
  it('holds for the recorded streams, with and without state round trips', () => {
    const fixtures = FIXTURE_NAMES.map((name) => ({ name, bytes: loadFixture(name) }));
    const references = new Map(
      fixtures.map(({ name, bytes }) => [name, runAnthropicTransform({ parts: [bytes] })]),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures),
        fc.array(fc.nat({ max: 5000 }), { maxLength: 60 }),
        fc.boolean(),
        ({ name, bytes }, offsets, restoreEachTime) => {
          const result = runAnthropicTransform({
            parts: splitAt({
              bytes,
              offsets: offsets.map((offset) => offset % (bytes.length + 1)),
            }),
            restoreEachTime,
          });
          expect(result.text).toBe(references.get(name)?.text);
          expect(result.summary).toEqual(references.get(name)?.summary);
        },
      ),
      { numRuns: 150, seed: 14 },
    );
  });

  it('holds for generated streams of text, reasoning and tool-call fragments, and every tool input parses', () => {
    const toolDelta = fc.record({
      index: fc.nat({ max: 2 }),
      id: fc.constantFrom(undefined, '', 'call_a', 'call-b.c'),
      name: fc.constantFrom(undefined, '', 'Bash', 'Read'),
      arguments: fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom('{"a":', '1}', '"x"', '{}', '{"b":[1,'),
      ),
    });
    const part = fc.oneof(
      fc.record({ content: fc.string({ unit: 'binary', maxLength: 12 }) }),
      fc.record({ reasoning_content: fc.string({ maxLength: 12 }) }),
      fc.record({ tool_calls: fc.array(toolDelta, { minLength: 1, maxLength: 2 }) }),
    );
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('stop', 'tool_calls', 'length', null),
        fc.array(fc.nat(), { maxLength: 30 }),
        (deltas, finishReason, offsets) => {
          const chunks: unknown[] = deltas.map((delta) => ({
            id: 'c',
            choices: [
              {
                index: 0,
                finish_reason: null,
                delta:
                  'tool_calls' in delta
                    ? {
                        tool_calls: delta.tool_calls.map(({ name, arguments: args, ...call }) => ({
                          ...call,
                          function: { ...(name === undefined ? {} : { name }), arguments: args },
                        })),
                      }
                    : delta,
              },
            ],
          }));
          if (finishReason !== null)
            chunks.push({
              id: 'c',
              choices: [{ index: 0, delta: {}, finish_reason: finishReason }],
            });
          const bytes = encodeUpstream(chunks);
          const whole = runAnthropicTransform({ parts: [bytes] });
          const split = runAnthropicTransform({
            parts: splitAt({
              bytes,
              offsets: offsets.map((offset) => offset % (bytes.length + 1)),
            }),
            restoreEachTime: true,
          });
          expect(split.text).toBe(whole.text);
          const message = assembleAnthropicEvents(parseAnthropicEvents(whole.text));
          expect(message.stopped).toBe(true);
          const toolBlocks = message.blocks.filter((block) => block.type === 'tool_use');
          for (const block of toolBlocks) {
            expect(
              typeof block.input === 'object' &&
                block.input !== null &&
                !Array.isArray(block.input),
            ).toBe(true);
          }
          if (toolBlocks.length > 0) expect(message.stopReason).toBe('tool_use');
        },
      ),
      { numRuns: 100, seed: 1414 },
    );
  });
});
