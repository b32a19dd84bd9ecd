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
export function requestUpstream(
  request: UpstreamRequestOptions,
  { streamWhen, limitBodyInBytes }: UpstreamAnswerPolicy,
): Promise<UpstreamAnswer> {
  const { dispatcher, signal } = request;
  if (signal.aborted) return Promise.reject(convertTransportError({ signal, error: undefined }));
  return new Promise<UpstreamAnswer>((resolve, reject) => {
    const handler = new UpstreamAnswerHandler({
      signal,
      accountId: request.accountId,
      streamWhen,
      limitBodyInBytes,
      resolve,
      reject,
    });
    signal.addEventListener('abort', handler, { once: true });
    try {
      dispatcher.dispatch(createDispatchOptions(request), handler);
    } catch (error) {
      handler.fail(error);
    }
  });
}

/** How an answer is taken: which heads are streamed, and how much of a whole answer is read. */
export interface UpstreamAnswerPolicy {
  streamWhen: (head: UpstreamResponseHead) => boolean;
  limitBodyInBytes: (head: UpstreamResponseHead) => number | undefined;
}

/**
 * The dispatch handler of one call, and the listener of its signal (`handleEvent`): one object
 * with its methods on the prototype, where closures would be a dozen allocations per request.
 */
class UpstreamAnswerHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private abortReason: Error | undefined;
  /** the promise is settled (resolved with an answer or rejected) */
  private answered = false;
  private head: UpstreamResponseHead | undefined;
  private stream: PushedUpstreamStream | undefined;
  private limitInBytes: number | undefined;
  private chunks: Buffer[] = [];
  private size = 0;
  private readonly signal: AbortSignal;
  private readonly accountId: string;
  private readonly streamWhen: (head: UpstreamResponseHead) => boolean;
  private readonly limitBodyInBytes: (head: UpstreamResponseHead) => number | undefined;
  private readonly resolve: (answer: UpstreamAnswer) => void;
  private readonly reject: (error: QwenClientError) => void;

  constructor(options: {
    signal: AbortSignal;
    accountId: string;
    streamWhen: (head: UpstreamResponseHead) => boolean;
    limitBodyInBytes: (head: UpstreamResponseHead) => number | undefined;
    resolve: (answer: UpstreamAnswer) => void;
    reject: (error: QwenClientError) => void;
  }) {
    this.signal = options.signal;
    this.accountId = options.accountId;
    this.streamWhen = options.streamWhen;
    this.limitBodyInBytes = options.limitBodyInBytes;
    this.resolve = options.resolve;
    this.reject = options.reject;
  }

  /** the signal's `abort` */
  handleEvent(): void {
    const { reason } = this.signal;
    this.abortReason = reason instanceof Error ? reason : new Error('aborted');
    this.controller?.abort(this.abortReason);
    // a request still queued for a socket has no controller yet: answer the caller now
    this.fail(this.abortReason);
  }

  fail(error: unknown): void {
    if (this.stream !== undefined) {
      this.stream.fail(error);
      return;
    }
    if (this.answered) return;
    this.answered = true;
    this.stopGuarding();
    this.chunks = [];
    this.reject(convertTransportError({ error, signal: this.signal, accountId: this.accountId }));
  }

  onRequestStart(requestController: Dispatcher.DispatchController): void {
    this.controller = requestController;
    if (this.abortReason !== undefined) requestController.abort(this.abortReason);
  }

  onResponseStart(
    responseController: Dispatcher.DispatchController,
    statusCode: number,
    responseHeaders: Record<string, string | string[]>,
  ): void {
    if (this.answered) return;
    const head: UpstreamResponseHead = {
      status: statusCode,
      headers: responseHeaders as UpstreamResponseHead['headers'],
    };
    this.head = head;
    if (!this.streamWhen(head)) {
      this.limitInBytes = this.limitBodyInBytes(head);
      return;
    }
    const pushed = createPushedUpstreamStream({
      signal: this.signal,
      accountId: this.accountId,
      cancel: () => responseController.abort(new ConsumerStoppedError('consumer stopped')),
      resume: () => responseController.resume(),
    });
    this.stream = pushed;
    this.answered = true;
    // the abort and the deadline keep guarding the body until it ends
    void pushed.ended.then(() => this.stopGuarding());
    this.resolve({
      kind: 'stream',
      status: head.status,
      headers: head.headers,
      body: pushed.body,
      ended: pushed.ended,
    });
  }

  onResponseData(responseController: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.stream !== undefined) {
      if (!this.stream.push(chunk)) responseController.pause();
      return;
    }
    if (this.answered) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.limitInBytes !== undefined && this.size >= this.limitInBytes) {
      this.finishText();
      // releases the socket: a connection whose body was not fully read cannot be reused
      responseController.abort(new BodyLimitReachedError('error body read up to its limit'));
    }
  }

  onResponseEnd(): void {
    if (this.stream !== undefined) this.stream.end();
    else this.finishText();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  private stopGuarding(): void {
    this.signal.removeEventListener('abort', this);
  }

  private finishText(): void {
    const { head, chunks } = this;
    if (head === undefined) {
      // an end without a status line: not an answer (a dispatcher bug), never a hung call
      this.fail(new Error('The upstream answer ended before its status line'));
      return;
    }
    if (this.answered) return;
    this.answered = true;
    this.stopGuarding();
    const bodyText =
      chunks.length === 1 && chunks[0] !== undefined
        ? chunks[0].toString('utf8')
        : Buffer.concat(chunks, this.size).toString('utf8');
    this.chunks = [];
    this.resolve({ kind: 'text', status: head.status, headers: head.headers, bodyText });
  }
}
