import { describe, expect, it } from 'vitest';
import { clonePlainData } from './clone-plain-data';

describe('clonePlainData', () => {
  it('copies what structuredClone copies for JSON values and bytes, sharing nothing', () => {
    const value = {
      text: 'é ✓',
      count: 3,
      flag: false,
      nothing: null,
      missing: undefined,
      list: [1, 'two', { three: [3] }, null],
      nested: { deeper: { deepest: ['x'] } },
      bytes: new Uint8Array([1, 2, 3]),
    };
    const copy = clonePlainData(value);
    expect(copy).toStrictEqual(structuredClone(value));
    expect(copy.nested.deeper).not.toBe(value.nested.deeper);
    expect(copy.list[2]).not.toBe(value.list[2]);
    expect(copy.bytes).not.toBe(value.bytes);
    copy.bytes[0] = 9;
    expect(value.bytes[0]).toBe(1);
  });

  it('keeps an own __proto__ key of parsed JSON as data, like structuredClone', () => {
    const parsed = JSON.parse('{"metadata":{"__proto__":{"polluted":true},"a":1}}') as {
      metadata: Record<string, unknown>;
    };
    const copy = clonePlainData(parsed);
    expect(Object.getPrototypeOf(copy.metadata)).toBe(Object.prototype);
    expect(Object.hasOwn(copy.metadata, '__proto__')).toBe(true);
    expect((copy.metadata as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(structuredClone(parsed)));
  });
});
