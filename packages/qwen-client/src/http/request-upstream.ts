import type { Dispatcher } from 'undici';
import type { QwenClientError } from '../errors/qwen-client-error';
import {
  createPushedUpstreamStream,
  type PushedUpstreamStream,
  type StreamEnd,
} from '../stream/create-pushed-upstream-stream';
import { convertTransportError } from './convert-transport-error';
import { createDispatchOptions, type UpstreamRequestOptions } from './create-dispatch-options';

/** What the body handling is decided from: the status line and headers, before any body byte. */
export interface UpstreamResponseHead {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** An upstream answer: read whole as text, or a body handed on as a stream while it arrives. */
export type UpstreamAnswer =
  | (UpstreamResponseHead & { kind: 'text'; bodyText: string })
  | (UpstreamResponseHead & {
      kind: 'stream';
      body: AsyncIterable<Uint8Array>;
      ended: Promise<StreamEnd>;
    });

/** Thrown into undici to drop the connection once an error body reached its read limit. */
class BodyLimitReachedError extends Error {
  readonly code = 'QWEN_RELAY_BODY_LIMIT_REACHED';
}

/** Thrown into undici to drop the connection of a stream its consumer stopped reading. */
class ConsumerStoppedError extends Error {
  readonly code = 'QWEN_RELAY_CONSUMER_STOPPED';
}

/**
 * One POST through the dispatcher, its answer taken by a dispatch handler instead of a Readable
 * (no stream state, no listeners, no promise per chunk of a whole answer), with the limits of
 * `createDispatchOptions` (`headersTimeout`, `bodyTimeout` between chunks), the caller's
 * `signal` (abort and total deadline, at once even while the request waits for a socket) and the
 * typed errors of `convertTransportError`.
 *
 * `streamWhen` looks at the head: true hands the body on as it arrives (`kind: 'stream'`, see
 * createPushedUpstreamStream; the signal keeps guarding it until it ends), false reads it whole
 * (`kind: 'text'`). `limitBodyInBytes` may cap a body read whole (error bodies are evidence, not
 * payload): the text is cut once that many bytes arrived and the connection is dropped.
 */
export function requestUpstream({
  streamWhen,
  limitBodyInBytes,
  ...request
}: UpstreamRequestOptions & {
  streamWhen: (head: UpstreamResponseHead) => boolean;
  limitBodyInBytes: (head: UpstreamResponseHead) => number | undefined;
}): Promise<UpstreamAnswer> {
  const { dispatcher, signal, accountId } = request;
  if (signal.aborted) return Promise.reject(convertTransportError({ signal, error: undefined }));
  return new Promise<UpstreamAnswer>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let abortReason: Error | undefined;
    /** the promise is settled (resolved with an answer or rejected) */
    let answered = false;
    let head: UpstreamResponseHead | undefined;
    let stream: PushedUpstreamStream | undefined;
    let limitInBytes: number | undefined;
    let chunks: Buffer[] = [];
    let size = 0;

    const stopGuarding = (): void => signal.removeEventListener('abort', onAbort);
    const fail = (error: unknown): void => {
      if (stream !== undefined) {
        stream.fail(error);
        return;
      }
      if (answered) return;
      answered = true;
      stopGuarding();
      chunks = [];
      reject(convertTransportError({ error, signal, accountId }) satisfies QwenClientError);
    };
    const finishText = (): void => {
      if (head === undefined) {
        // an end without a status line: not an answer (a dispatcher bug), never a hung call
        fail(new Error('The upstream answer ended before its status line'));
        return;
      }
      if (answered) return;
      answered = true;
      stopGuarding();
      const bodyText =
        chunks.length === 1 && chunks[0] !== undefined
          ? chunks[0].toString('utf8')
          : Buffer.concat(chunks, size).toString('utf8');
      chunks = [];
      resolve({ kind: 'text', status: head.status, headers: head.headers, bodyText });
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
      onResponseStart(responseController, statusCode, responseHeaders) {
        if (answered) return;
        head = {
          status: statusCode,
          headers: responseHeaders as UpstreamResponseHead['headers'],
        };
        if (!streamWhen(head)) {
          limitInBytes = limitBodyInBytes(head);
          return;
        }
        const pushed = createPushedUpstreamStream({
          signal,
          accountId,
          cancel: () => responseController.abort(new ConsumerStoppedError('consumer stopped')),
          resume: () => responseController.resume(),
        });
        stream = pushed;
        answered = true;
        // the abort and the deadline keep guarding the body until it ends
        void pushed.ended.then(stopGuarding);
        resolve({
          kind: 'stream',
          status: head.status,
          headers: head.headers,
          body: pushed.body,
          ended: pushed.ended,
        });
      },
      onResponseData(responseController, chunk) {
        if (stream !== undefined) {
          if (!stream.push(chunk)) responseController.pause();
          return;
        }
        if (answered) return;
        chunks.push(chunk);
        size += chunk.length;
        if (limitInBytes !== undefined && size >= limitInBytes) {
          finishText();
          // releases the socket: a connection whose body was not fully read cannot be reused
          responseController.abort(new BodyLimitReachedError('error body read up to its limit'));
        }
      },
      onResponseEnd() {
        if (stream !== undefined) stream.end();
        else finishText();
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
