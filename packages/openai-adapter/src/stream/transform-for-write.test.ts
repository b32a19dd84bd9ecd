import { describe, expect, it } from 'vitest';
import { FRESH_TRANSLATION_STATES } from '../../test/fresh-stream-states';
import { FIXTURE_NAMES, loadFixture, randomOffsets, splitAt } from '../../test/stream-helpers';
import { createAnthropicPassthroughTransform } from '../anthropic/stream/create-anthropic-passthrough-transform';
import { createResponsesPassthroughTransform } from '../responses/create-responses-passthrough-transform';
import { restoreStreamTransform, type StreamTransformState } from './restore-stream-transform';

const encoder = new TextEncoder();

const FRESH_STATES: Record<string, () => StreamTransformState> = {
  ...FRESH_TRANSLATION_STATES,
  'anthropic-passthrough': () => createAnthropicPassthroughTransform().getState(),
  'responses-passthrough': () => createResponsesPassthroughTransform().getState(),
};

// the bytes each way of reading gives: `transform` as it is, `transformForWrite` encoded
function runBothWays({ kind, parts }: { kind: string; parts: readonly Uint8Array[] }) {
  const fresh = FRESH_STATES[kind] as () => StreamTransformState;
  const asBytes = restoreStreamTransform(fresh());
  const asWritten = restoreStreamTransform(fresh());
  const bytes: number[] = [];
  const written: number[] = [];
  for (const part of parts) {
    bytes.push(...asBytes.transform(part));
    const output = asWritten.transformForWrite(part);
    written.push(...(typeof output === 'string' ? encoder.encode(output) : output));
  }
  const endBytes = asBytes.end();
  const endWritten = asWritten.end();
  return {
    bytes: [...bytes, ...endBytes.bytes],
    written: [...written, ...endWritten.bytes],
    summaries: [endBytes.summary, endWritten.summary],
  };
}

describe('transformForWrite', () => {
  for (const kind of Object.keys(FRESH_STATES)) {
    it.each(FIXTURE_NAMES)(
      `${kind}: %s gives the bytes of transform, however the reads fall`,
      (name) => {
        const source = loadFixture(name);
        for (const seed of [1, 2, 3]) {
          const parts = splitAt({
            bytes: source,
            offsets: randomOffsets({ length: source.length, count: 12, seed: seed + name.length }),
          });
          const { bytes, written, summaries } = runBothWays({ kind, parts });
          expect(written).toEqual(bytes);
          expect(summaries[1]).toEqual(summaries[0]);
        }
      },
    );
  }

  it('answers text for the translations and the same bytes for the Responses passthrough', () => {
    const read = encoder.encode('data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n');
    expect(
      typeof restoreStreamTransform(
        FRESH_STATES.chat?.() as StreamTransformState,
      ).transformForWrite(read),
    ).toBe('string');
    const passthrough = restoreStreamTransform(
      FRESH_STATES['responses-passthrough']?.() as StreamTransformState,
    );
    expect(passthrough.transformForWrite(read)).toBe(read);
  });
});
