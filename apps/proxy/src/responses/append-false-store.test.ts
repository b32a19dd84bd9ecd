import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendFalseStore } from './append-false-store';

// any JSON object without a `store` member, at least one member, as a client may format it
const objectWithoutStore = fc
  .dictionary(
    fc.string().filter((key) => key !== 'store'),
    fc.jsonValue(),
    { minKeys: 1 },
  )
  .filter((object) => !Object.hasOwn(object, 'store'));
const formatting = fc.constantFrom(undefined, 0, 1, 2, '\t', ' \r\n ');

describe('appendFalseStore', () => {
  it('gives text that parses to the object with store: false set last, members in order', () => {
    fc.assert(
      fc.property(
        objectWithoutStore,
        formatting,
        fc.constantFrom('', ' ', '\n', '\r\n\t '),
        (object, indent, trailing) => {
          const text = `${JSON.stringify(object, null, indent)}${trailing}`;
          const appended = appendFalseStore(text);
          const expected: Record<string, unknown> = JSON.parse(text);
          expected.store = false;
          expect(appended).toBeDefined();
          const parsed = JSON.parse(appended as string) as Record<string, unknown>;
          expect(JSON.stringify(parsed)).toBe(JSON.stringify(expected));
        },
      ),
    );
  });

  it('leaves an empty object and anything that is not an object to the caller', () => {
    expect(appendFalseStore('{}')).toBeUndefined();
    expect(appendFalseStore('{ \n }')).toBeUndefined();
    expect(appendFalseStore('[1, 2]')).toBeUndefined();
    expect(appendFalseStore('"text"')).toBeUndefined();
  });

  it('adds the member at the object’s own end, after nested objects and braces in strings', () => {
    const text = '{"model":"qwen3.5-plus","input":"a } b","tools":[{"type":"function"}]}\n';
    expect(appendFalseStore(text)).toBe(
      '{"model":"qwen3.5-plus","input":"a } b","tools":[{"type":"function"}],"store":false}\n',
    );
  });
});
