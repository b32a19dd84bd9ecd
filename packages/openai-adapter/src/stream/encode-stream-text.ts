const encoder = new TextEncoder();

/**
 * The UTF-8 bytes a stream transform returns for `text`: a new empty array when there is none
 * (never a shared one: a caller may transfer the buffer to a worker).
 */
export function encodeStreamText(text: string): Uint8Array {
  return text === '' ? new Uint8Array(0) : encoder.encode(text);
}
