import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repairToolInputJson } from './repair-tool-input-json';

describe('repairToolInputJson', () => {
  it('keeps a valid object byte for byte', () => {
    expect(repairToolInputJson('{"path": "src/main.ts"}')).toBe('{"path": "src/main.ts"}');
  });

  it.each([
    ['', '{}'],
    ['   ', '{}'],
    ['{"a":1}{"a":1}', '{"a":1}'],
    ['"{\\"a\\":1}"', '{"a":1}'],
    ['{"command":"ls -la', '{"command":"ls -la"}'],
    ['{"a":1,"b":', '{"a":1}'],
    ['{"a":1,"b"', '{"a":1}'],
    ['{"a":[1,2', '{"a":[1,2]}'],
    ['{"a":"x\\', '{"a":"x"}'],
    ['[1,2]', '{}'],
    ['not json', '{}'],
  ])('%j → %j', (input, expected) => {
    expect(repairToolInputJson(input)).toBe(expected);
  });

  it('always returns the text of a JSON object, whatever prefix of an object it gets', () => {
    fc.assert(
      fc.property(fc.object(), fc.nat(), (value, cut) => {
        const text = JSON.stringify(value);
        const repaired = repairToolInputJson(text.slice(0, cut % (text.length + 1)));
        const parsed: unknown = JSON.parse(repaired);
        expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)).toBe(true);
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});
