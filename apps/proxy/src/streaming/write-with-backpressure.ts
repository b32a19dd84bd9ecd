import type { ServerResponse } from 'node:http';

/**
 * Writes bytes (or text, as UTF-8) and, when the socket buffer is full, returns a promise of
 * 'drain' (or the client leaving); `undefined` when the caller may go on at once, so the common
 * case allocates no promise. The caller pulls the next upstream chunk only after it settles, so a slow client
 * slows the upstream read instead of buffering the whole stream in memory.
 */
export function writeWithBackpressure({
  response,
  output,
}: {
  response: ServerResponse;
  output: Uint8Array | string;
}): Promise<void> | undefined {
  if (output.length === 0 || response.destroyed) return undefined;
  if (response.write(output)) return undefined;
  return new Promise<void>((resolve) => {
    const settle = () => {
      response.off('drain', settle);
      response.off('close', settle);
      resolve();
    };
    response.on('drain', settle);
    response.on('close', settle);
  });
}
