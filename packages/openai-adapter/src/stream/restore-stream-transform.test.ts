import { describe, expect, it } from 'vitest';
import { FRESH_TRANSLATION_STATES } from '../../test/fresh-stream-states';
import { FIXTURE_NAMES, loadFixture } from '../../test/stream-helpers';
import { restoreStreamTransform, type StreamTransformState } from './restore-stream-transform';

const decoder = new TextDecoder();

function run(state: StreamTransformState, bytes: Uint8Array, adopt: boolean): string {
  const transform = restoreStreamTransform(state, { adopt });
  return decoder.decode(transform.transform(bytes)) + decoder.decode(transform.end().bytes);
}

describe('restoreStreamTransform with adopt', () => {
  const fresh = FRESH_TRANSLATION_STATES;

  it.each(Object.keys(fresh))(
    '%s: continues on the state handed over, with the same bytes as on a copy',
    async (kind) => {
      const make = fresh[kind] as () => StreamTransformState;
      for (const name of FIXTURE_NAMES) {
        const bytes = await loadFixture(name);
        const copied = make();
        const before = JSON.stringify(copied);
        const expected = run(copied, bytes, false);
        // a copy leaves the caller's state alone
        expect(JSON.stringify(copied)).toBe(before);
        const adopted = make();
        expect(run(adopted, bytes, true)).toBe(expected);
        // adopted: the stream's progress is in the object itself (no copy was made)
        expect(JSON.stringify(adopted)).not.toBe(before);
      }
    },
  );
});
