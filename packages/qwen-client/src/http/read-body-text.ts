import type { Readable } from 'node:stream';

/**
 * Reads a response body as UTF-8 up to `limitInBytes`, then destroys the rest (error bodies
 * are only evidence, not payload). Without a limit, reads everything.
 */
export async function readBodyText({
  body,
  limitInBytes,
}: {
  body: Readable;
  limitInBytes?: number;
}): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (limitInBytes !== undefined && size >= limitInBytes) {
      // releases the socket: undici closes a connection whose body was not fully read
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
