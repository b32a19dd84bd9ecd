import type { Readable } from 'node:stream';

/** What a for-await over a Readable throws when it closes before its end, without an error. */
function createPrematureCloseError(): Error & { code: string } {
  const error = new Error('Premature close') as Error & { code: string };
  error.code = 'ERR_STREAM_PREMATURE_CLOSE';
  return error;
}

/**
 * Reads a response body as UTF-8 up to `limitInBytes`, then destroys the rest (error bodies
 * are only evidence, not payload). Without a limit, reads everything. Fails like a for-await over
 * the body would: with the body's error, or ERR_STREAM_PREMATURE_CLOSE when it closes early.
 * Plain listeners instead of an async iterator: an upstream JSON answer arrives in one or two
 * chunks, and the iterator (a generator, end-of-stream tracking, a promise per chunk) cost more
 * than the reading.
 */
export function readBodyText({
  body,
  limitInBytes,
}: {
  body: Readable;
  limitInBytes?: number;
}): Promise<string> {
  if (body.destroyed) {
    return body.readableEnded
      ? Promise.resolve('')
      : Promise.reject(body.errored ?? createPrematureCloseError());
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const detach = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
    };
    const finish = () => {
      detach();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    function onData(chunk: Buffer) {
      chunks.push(chunk);
      size += chunk.length;
      if (limitInBytes !== undefined && size >= limitInBytes) {
        finish();
        // releases the socket: undici closes a connection whose body was not fully read
        body.destroy();
      }
    }
    function onEnd() {
      finish();
    }
    function onError(error: Error) {
      detach();
      reject(error);
    }
    function onClose() {
      // closed without 'end' and without an error: destroyed under us
      detach();
      reject(createPrematureCloseError());
    }
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    body.on('close', onClose);
  });
}
