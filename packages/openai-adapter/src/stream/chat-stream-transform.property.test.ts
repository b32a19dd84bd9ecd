import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURE_NAMES, loadFixture, runTransform, splitAt } from '../../test/stream-helpers';

describe('property: any split of a valid stream gives the same output', () => {
  const fixtures = FIXTURE_NAMES.map((name) => ({ name, bytes: loadFixture(name) }));
  const references = new Map(
    fixtures.map(({ name, bytes }) => [name, runTransform({ parts: [bytes], includeUsage: true })]),
  );

  it('holds for arbitrary split points, with and without state round trips', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures),
        fc.array(fc.nat({ max: 4000 }), { maxLength: 60 }),
        fc.boolean(),
        ({ name, bytes }, offsets, restoreEachTime) => {
          const reference = references.get(name);
          const result = runTransform({
            parts: splitAt({
              bytes,
              offsets: offsets.map((offset) => offset % (bytes.length + 1)),
            }),
            includeUsage: true,
            restoreEachTime,
          });
          expect(result.text).toBe(reference?.text);
          expect(result.summary).toEqual(reference?.summary);
        },
      ),
      { numRuns: 150, seed: 20_260_415 },
    );
  });

  it('holds for arbitrary streams of text chunks (generated content, CR/LF/CRLF framing)', () => {
    const chunkArbitrary = fc.record({
      content: fc.string({ unit: 'binary', maxLength: 20 }),
      reasoning: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(chunkArbitrary, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r', '\r\n'),
        fc.array(fc.nat(), { maxLength: 30 }),
        (chunks, newline, offsets) => {
          const body = chunks
            .map((chunk, index) => {
              const delta =
                chunk.reasoning === undefined
                  ? { content: chunk.content }
                  : { reasoning_content: chunk.reasoning, content: chunk.content };
              const json = JSON.stringify({
                choices: [{ index: 0, delta, finish_reason: null }],
                model: 'up',
                id: `c${index}`,
              });
              return `data: ${json}${newline}${newline}`;
            })
            .join('')
            .concat(`data: [DONE]${newline}${newline}`);
          const bytes = new TextEncoder().encode(body);
          const whole = runTransform({ parts: [bytes] });
          const split = runTransform({
            parts: splitAt({
              bytes,
              offsets: offsets.map((offset) => offset % (bytes.length + 1)),
            }),
          });
          expect(split.text).toBe(whole.text);
          expect(whole.summary.endState).toBe('done');
          expect(whole.summary.chunkCount).toBe(chunks.length);
        },
      ),
      { numRuns: 100, seed: 7 },
    );
    // 100 generated streams, each split twice: seconds alone, but past 30 s on a loaded machine
  }, 180_000);
});
