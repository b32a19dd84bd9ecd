import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DrainOutcome, drainRequestBody } from '../http/drain-request-body';
import { convertErrorForProtocol } from './convert-error-for-protocol';
import type { ErrorProtocol } from './error-protocol';

const DRAIN_MIN_BOUND_IN_BYTES = 64 * 1024 * 1024;
const DRAIN_TIMEOUT_IN_MS = 5_000;

/**
 * Answers 413 to an oversized upload, then discards the rest of the body (at most another
 * BODY_LIMIT_BYTES or 64 MiB, whichever is larger, for at most 5 s) before closing the
 * connection; past those bounds the socket is destroyed.
 *
 * Why not simply end with `Connection: close`: node then closes the socket at once, and closing
 * a socket whose upload is still arriving makes the kernel send a reset, so a client still
 * writing its body (fetch of a 40 MB body) sometimes sees EPIPE instead of our 413.
 */
export async function sendBodyTooLargeResponse({
  request,
  response,
  error,
  limitInBytes,
  protocol = 'openai',
}: {
  request: IncomingMessage;
  response: ServerResponse;
  error: unknown;
  limitInBytes: number;
  protocol?: ErrorProtocol;
}): Promise<DrainOutcome> {
  const converted = convertErrorForProtocol({ error, protocol });
  const text = JSON.stringify(converted.body);
  response.writeHead(converted.status, {
    ...converted.headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text).toString(),
    Connection: 'close',
  });
  // the whole answer goes out now (Content-Length tells the client it is complete); end() waits
  // for the drain because ending is what makes node close the socket
  response.write(text);
  const outcome = await drainRequestBody({
    request,
    maxBytes: Math.max(limitInBytes, DRAIN_MIN_BOUND_IN_BYTES),
    timeoutInMs: DRAIN_TIMEOUT_IN_MS,
  });
  if (outcome === 'drained') response.end();
  else response.destroy();
  return outcome;
}
