import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertBase64ToFloats, convertFloatsToBase64 } from './convert-float32-base64';

describe('convertFloatsToBase64', () => {
  it('gives the bytes OpenAI sends: little-endian float32, base64', () => {
    // 1.0 = 0x3f800000 → 00 00 80 3f; -2.5 = 0xc0200000 → 00 00 20 c0
    expect(convertFloatsToBase64([1, -2.5])).toBe(
      Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0x20, 0xc0]).toString('base64'),
    );
    expect(convertFloatsToBase64([])).toBe('');
  });

  it('matches Node for any vector, and round-trips to float32 precision', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 64 }), (vector) => {
        const encoded = convertFloatsToBase64(vector);
        const expected = Buffer.alloc(vector.length * 4);
        for (const [index, value] of vector.entries()) expected.writeFloatLE(value, index * 4);
        expect(encoded).toBe(expected.toString('base64'));
        expect(convertBase64ToFloats(encoded)).toEqual(vector.map((value) => Math.fround(value)));
      }),
    );
  });

  it('refuses text that is not base64 of whole float32 values', () => {
    expect(convertBase64ToFloats('AAA')).toBeUndefined();
    expect(convertBase64ToFloats('AAAA!AAA')).toBeUndefined();
  });
});
