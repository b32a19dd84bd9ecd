import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError, InvalidJsonError } from '../errors/proxy-errors';

/**
 * Reads the whole body, refusing it as soon as it is known to exceed `limitInBytes`: up front
 * from Content-Length, else while counting the bytes streaming in (never buffering past the limit).
 */
export function readRequestBody({
  request,
  limitInBytes,
}: {
  request: IncomingMessage;
  limitInBytes: number;
}): Promise<Buffer> {
  const declaredLength = Number(request.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > limitInBytes) {
    return Promise.reject(new BodyTooLargeError({ limitInBytes }));
  }
  if (request.readableEnded) return Promise.resolve(Buffer.alloc(0));
  // plain listeners, not an async iterator: a small JSON body arrives in one or two chunks and
  // the iterator's promise per chunk cost more than reading it
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let receivedInBytes = 0;
    const detach = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      receivedInBytes += chunk.length;
      if (receivedInBytes > limitInBytes) {
        // left paused, not destroyed: the caller drains it to answer 413 on a usable socket
        detach();
        request.pause();
        reject(new BodyTooLargeError({ limitInBytes }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      detach();
      resolve(Buffer.concat(chunks, receivedInBytes));
    };
    const onError = (error: Error) => {
      detach();
      reject(error);
    };
    const onClose = () => {
      // closed before 'end': the client went away mid-upload
      detach();
      const error = new Error('The request closed before its body ended') as Error & {
        code: string;
      };
      error.code = 'ERR_STREAM_PREMATURE_CLOSE';
      reject(error);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

/** Reads and parses a JSON body (400 `invalid_json` when it does not parse). */
export async function readJsonBody({
  request,
  limitInBytes,
}: {
  request: IncomingMessage;
  limitInBytes: number;
}): Promise<unknown> {
  return (await readJsonBodyAndText({ request, limitInBytes })).body;
}

/**
 * Reads and parses a JSON body, keeping the text it was parsed from and its bytes: what goes
 * upstream reuses them instead of serialising and encoding the parsed body again
 * (qwen-client's `sourceText`). 400 `invalid_json` when it does not parse.
 */
export async function readJsonBodyAndText({
  request,
  limitInBytes,
}: {
  request: IncomingMessage;
  limitInBytes: number;
}): Promise<{ body: unknown; text: string; bytes: Buffer }> {
  const bytes = await readRequestBody({ request, limitInBytes });
  const text = bytes.toString('utf8');
  try {
    return { body: JSON.parse(text) as unknown, text, bytes };
  } catch (error) {
    throw new InvalidJsonError({ cause: error });
  }
}
