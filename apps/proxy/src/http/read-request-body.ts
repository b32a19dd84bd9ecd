import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError, InvalidJsonError } from '../errors/proxy-errors';

/**
 * Reads the whole body, refusing it as soon as it is known to exceed `limitInBytes`: up front
 * from Content-Length, else while counting the bytes streaming in (never buffering past the limit).
 */
export async function readRequestBody({
  request,
  limitInBytes,
}: {
  request: IncomingMessage;
  limitInBytes: number;
}): Promise<Buffer> {
  const declaredLength = Number(request.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > limitInBytes) {
    throw new BodyTooLargeError({ limitInBytes });
  }
  const chunks: Buffer[] = [];
  let receivedInBytes = 0;
  // not destroyed when we stop early: the caller answers 413 and drains the rest (drainRequestBody)
  for await (const chunk of request.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    receivedInBytes += chunk.length;
    if (receivedInBytes > limitInBytes) {
      request.pause();
      throw new BodyTooLargeError({ limitInBytes });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, receivedInBytes);
}

/** Reads and parses a JSON body (400 `invalid_json` when it does not parse). */
export async function readJsonBody({
  request,
  limitInBytes,
}: {
  request: IncomingMessage;
  limitInBytes: number;
}): Promise<unknown> {
  const body = await readRequestBody({ request, limitInBytes });
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new InvalidJsonError({ cause: error });
  }
}
