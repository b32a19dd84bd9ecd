import type { IncomingMessage } from 'node:http';

/** How draining an unwanted request body ended. */
export type DrainOutcome = 'drained' | 'too-long' | 'timed-out' | 'closed';

/**
 * Reads and discards the rest of a request body (never buffering it), up to `maxBytes` and
 * `timeoutInMs`. Used after a 413: closing a socket that still has unread upload data makes the
 * kernel answer with a reset, and a client still uploading then sees EPIPE/ECONNRESET instead of
 * the 413. Past either bound the caller destroys the socket.
 */
export function drainRequestBody({
  request,
  maxBytes,
  timeoutInMs,
}: {
  request: IncomingMessage;
  maxBytes: number;
  timeoutInMs: number;
}): Promise<DrainOutcome> {
  if (request.complete || request.readableEnded) return Promise.resolve('drained');
  if (request.destroyed) return Promise.resolve('closed');
  return new Promise<DrainOutcome>((resolve) => {
    let discardedInBytes = 0;
    const finish = (outcome: DrainOutcome) => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      request.off('error', onClose);
      if (outcome !== 'drained') request.pause();
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      discardedInBytes += chunk.length;
      if (discardedInBytes > maxBytes) finish('too-long');
    };
    const onEnd = () => finish('drained');
    const onClose = () => finish('closed');
    const timer = setTimeout(() => finish('timed-out'), timeoutInMs);
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('close', onClose);
    request.once('error', onClose);
    request.resume();
  });
}
