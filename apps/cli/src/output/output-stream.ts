/** Where a command writes: process.stdout/stderr in the binary, a buffer in tests. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** An {@link OutputStream} that keeps what is written, for tests. */
export function createBufferedOutput({ isTTY = false }: { isTTY?: boolean } = {}): OutputStream & {
  readonly text: () => string;
} {
  const parts: string[] = [];
  return {
    isTTY,
    write(text: string) {
      parts.push(text);
      return true;
    },
    text: () => parts.join(''),
  };
}
