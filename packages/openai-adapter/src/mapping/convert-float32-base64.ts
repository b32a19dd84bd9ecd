const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Map([...ALPHABET].map((character, value) => [character, value]));

/**
 * An embedding vector as OpenAI's `encoding_format: "base64"` sends it: the bytes of consecutive
 * little-endian IEEE 754 float32 values, base64-encoded (what the official clients decode with
 * `new Float32Array(buffer)`). Hand-written so the adapter stays free of Node-only globals.
 */
export function convertFloatsToBase64(vector: readonly number[]): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < vector.length; index++) {
    view.setFloat32(index * 4, vector[index] ?? 0, true);
  }
  let text = '';
  for (let offset = 0; offset < bytes.length; offset += 3) {
    const first = bytes[offset] ?? 0;
    const second = bytes[offset + 1];
    const third = bytes[offset + 2];
    const group = (first << 16) | ((second ?? 0) << 8) | (third ?? 0);
    text += ALPHABET[(group >> 18) & 63];
    text += ALPHABET[(group >> 12) & 63];
    text += second === undefined ? '=' : ALPHABET[(group >> 6) & 63];
    text += third === undefined ? '=' : ALPHABET[group & 63];
  }
  return text;
}

/**
 * The inverse of {@link convertFloatsToBase64}: little-endian float32 values from base64, or
 * undefined when the text is not base64 of a whole number of float32 values.
 */
export function convertBase64ToFloats(text: string): number[] | undefined {
  const clean = text.replace(/=+$/, '');
  const byteLength = Math.floor((clean.length * 3) / 4);
  if (byteLength % 4 !== 0 || clean.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(byteLength);
  let bits = 0;
  let bitCount = 0;
  let position = 0;
  for (const character of clean) {
    const value = VALUES.get(character);
    if (value === undefined) return undefined;
    bits = ((bits << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[position++] = (bits >> bitCount) & 0xff;
    }
  }
  const view = new DataView(bytes.buffer);
  const vector: number[] = new Array(byteLength / 4);
  for (let index = 0; index < vector.length; index++) {
    vector[index] = view.getFloat32(index * 4, true);
  }
  return vector;
}
