import type { ServerResponse } from 'node:http';

/**
 * Writes bytes and, when the socket buffer is full, waits for 'drain' (or the client leaving)
 * before returning. The caller pulls the next upstream chunk only after this resolves, so a slow
 * client slows the upstream read instead of buffering the whole stream in memory.
 */
export async function writeWithBackpressure({
  response,
  bytes,
}: {
  response: ServerResponse;
  bytes: Uint8Array;
}): Promise<void> {
  if (bytes.byteLength === 0 || response.destroyed) return;
  if (response.write(bytes)) return;
  await new Promise<void>((resolve) => {
    const settle = () => {
      response.off('drain', settle);
      response.off('close', settle);
      resolve();
    };
    response.on('drain', settle);
    response.on('close', settle);
  });
}
