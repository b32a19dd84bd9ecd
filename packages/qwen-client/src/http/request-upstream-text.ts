import type { Dispatcher } from 'undici';
import type { QwenClientError } from '../errors/qwen-client-error';
import { convertTransportError } from './convert-transport-error';
import { createDispatchOptions, type UpstreamRequestOptions } from './send-upstream-request';

/** A whole upstream answer: status, headers and the body as UTF-8 text. */
export interface UpstreamTextResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
}

/** What the body limit is decided from: the status line and headers, before any body byte. */
export interface UpstreamResponseHead {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** Thrown into undici to drop the connection once an error body reached its read limit. */
class BodyLimitReachedError extends Error {
  readonly code = 'QWEN_RELAY_BODY_LIMIT_REACHED';
}

/**
 * One POST through the dispatcher whose answer is read whole, for callers that do not stream:
 * the same limits as `sendUpstreamRequest` (`headersTimeout`, `bodyTimeout` between chunks, the
 * caller's `signal`) and the same typed errors, but the body is collected by a dispatch handler
 * instead of a Readable (no stream state, no listeners, no promise per chunk). `limitBodyInBytes`
 * looks at the head and may cap the body (error bodies are evidence, not payload): the text is
 * cut once that many bytes arrived and the connection is dropped, as destroying the body would.
 */
export function requestUpstreamText({
  limitBodyInBytes,
  ...request
}: UpstreamRequestOptions & {
  limitBodyInBytes: (head: UpstreamResponseHead) => number | undefined;
}): Promise<UpstreamTextResponse> {
  const { dispatcher, signal, accountId } = request;
  if (signal.aborted) return Promise.reject(convertTransportError({ signal, error: undefined }));
  return new Promise<UpstreamTextResponse>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let abortReason: Error | undefined;
    let settled = false;
    let head: UpstreamResponseHead | undefined;
    let limitInBytes: number | undefined;
    let chunks: Buffer[] = [];
    let size = 0;

    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      return true;
    };
    const fail = (error: unknown): void => {
      if (!settle()) return;
      chunks = [];
      reject(convertTransportError({ error, signal, accountId }) satisfies QwenClientError);
    };
    const finish = (): void => {
      if (head === undefined) {
        // an end without a status line: not an answer (a dispatcher bug), never a hung call
        fail(new Error('The upstream answer ended before its status line'));
        return;
      }
      if (!settle()) return;
      const bodyText =
        chunks.length === 1 && chunks[0] !== undefined
          ? chunks[0].toString('utf8')
          : Buffer.concat(chunks, size).toString('utf8');
      chunks = [];
      resolve({ status: head.status, headers: head.headers, bodyText });
    };
    function onAbort(): void {
      abortReason = signal.reason instanceof Error ? signal.reason : new Error('aborted');
      controller?.abort(abortReason);
      // a request still queued for a socket has no controller yet: answer the caller now
      fail(abortReason);
    }
    signal.addEventListener('abort', onAbort, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(requestController) {
        controller = requestController;
        if (abortReason !== undefined) requestController.abort(abortReason);
      },
      onResponseStart(_controller, statusCode, responseHeaders) {
        head = {
          status: statusCode,
          headers: responseHeaders as UpstreamResponseHead['headers'],
        };
        limitInBytes = limitBodyInBytes(head);
      },
      onResponseData(responseController, chunk) {
        if (settled) return;
        chunks.push(chunk);
        size += chunk.length;
        if (limitInBytes !== undefined && size >= limitInBytes) {
          finish();
          // releases the socket: a connection whose body was not fully read cannot be reused
          responseController.abort(new BodyLimitReachedError('error body read up to its limit'));
        }
      },
      onResponseEnd() {
        finish();
      },
      onResponseError(_controller, error) {
        fail(error);
      },
    };

    try {
      dispatcher.dispatch(createDispatchOptions(request), handler);
    } catch (error) {
      fail(error);
    }
  });
}
