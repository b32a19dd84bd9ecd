import { AbortedError, UpstreamTimeoutError } from '../errors/upstream-errors';
import { convertTransportError } from '../http/convert-transport-error';

/** How an upstream byte stream ended, as far as the transport can tell. */
export interface StreamEnd {
  /**
   * completed: the HTTP body ended cleanly (whether it held `[DONE]` is the adapter's call);
   * dropped: socket error or premature close; idle-timeout / total-timeout: a time limit fired;
   * aborted: the caller's signal fired or the consumer stopped iterating early;
   * upstream-error: never produced here — an in-band `data: {"error":…}` event is only visible
   * to the SSE parser (openai-adapter), which reports it in its own summary.
   */
  state: 'completed' | 'upstream-error' | 'dropped' | 'idle-timeout' | 'total-timeout' | 'aborted';
  error?: Error;
}

/** What the dispatch handler feeds a pushed stream, and what the stream asks of the request. */
export interface PushedUpstreamStream {
  /**
   * the consumer's side, iterated once: each value is every byte that arrived since the last
   * one was taken (one network read when the consumer keeps up, several joined when it was busy)
   */
  body: AsyncIterable<Uint8Array>;
  /** settles exactly once, never rejects, however the body finishes */
  ended: Promise<StreamEnd>;
  /** a body chunk arrived; false: the consumer is behind, pause the socket until `resume` */
  push(chunk: Uint8Array): boolean;
  /** the body ended cleanly */
  end(): void;
  /** the body failed (socket error, time limit, abort): queued bytes are dropped */
  fail(error: unknown): void;
}

/**
 * Bytes held for a consumer that is behind, before the socket is paused (the Readable it
 * replaces paused at its 64 KiB high-water mark too).
 */
const QUEUED_BYTES_LIMIT = 64 * 1024;

/**
 * An upstream body fed by a dispatch handler instead of read from a Readable: no stream state,
 * no listeners, one settled promise per value. The contract of the Readable-based stream it
 * replaces: bytes are pulled by the consumer; what arrived while the consumer was busy is taken
 * as one value, as `Readable.read()` returns its whole buffer (a consumer whose step has a fixed
 * cost, a worker task, pays it once for them); a consumer that is behind pauses the
 * socket (`resume` is called when it caught up); a failure only stops the iteration, `ended`
 * reports it; a consumer that stops early (`return`) cancels the request through `cancel`,
 * which releases the socket, and `ended` reports `aborted`.
 */
export function createPushedUpstreamStream({
  signal,
  accountId,
  cancel,
  resume,
}: {
  /** the call's signal: a failure after it fired is its abort or deadline */
  signal: AbortSignal;
  accountId: string;
  /** stops the request (the consumer stopped reading early) */
  cancel: () => void;
  /** the consumer caught up: let the socket read again */
  resume: () => void;
}): PushedUpstreamStream {
  let resolveEnded: (end: StreamEnd) => void = () => {};
  const ended = new Promise<StreamEnd>((resolve) => {
    resolveEnded = resolve;
  });
  let queue: Uint8Array[] = [];
  let queuedBytes = 0;
  let paused = false;
  /** the body ended cleanly; the consumer gets `done` once the queue is empty */
  let complete = false;
  /** nothing more comes: failed, or stopped by the consumer */
  let finished = false;
  let waiting: ((result: IteratorResult<Uint8Array, undefined>) => void) | undefined;
  let iterated = false;

  const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
  const settle = (end: StreamEnd): void => {
    finished = true;
    queue = [];
    queuedBytes = 0;
    resolveEnded(end);
  };
  const wake = (result: IteratorResult<Uint8Array, undefined>): void => {
    const resolve = waiting;
    waiting = undefined;
    resolve?.(result);
  };

  const iterator: AsyncIterator<Uint8Array, undefined> = {
    next() {
      const first = queue[0];
      if (first !== undefined) {
        const value = queue.length === 1 ? first : Buffer.concat(queue, queuedBytes);
        queue = [];
        queuedBytes = 0;
        if (paused) {
          paused = false;
          resume();
        }
        return Promise.resolve({ done: false, value });
      }
      if (complete && !finished) settle({ state: 'completed' });
      if (finished) return Promise.resolve(DONE);
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    async return() {
      if (!finished) {
        // the consumer stopped early: release the socket instead of leaving it half-read
        settle({
          state: 'aborted',
          error: new AbortedError({
            accountId,
            message: 'The consumer stopped reading the stream',
          }),
        });
        cancel();
      }
      return DONE;
    },
  };

  return {
    body: {
      [Symbol.asyncIterator]() {
        if (iterated) throw new TypeError('an upstream body can only be iterated once');
        iterated = true;
        return iterator;
      },
    },
    ended,
    push(chunk) {
      if (finished || complete) return true;
      if (waiting !== undefined) {
        wake({ done: false, value: chunk });
        return true;
      }
      queue.push(chunk);
      queuedBytes += chunk.byteLength;
      if (queuedBytes < QUEUED_BYTES_LIMIT) return true;
      paused = true;
      return false;
    },
    end() {
      if (finished || complete) return;
      complete = true;
      if (waiting !== undefined) {
        settle({ state: 'completed' });
        wake(DONE);
      }
    },
    fail(error) {
      if (finished) return;
      // also after a clean end whose bytes are not all read: an abort drops them, as it did
      settle(convertStreamFailure({ error, signal, accountId }));
      wake(DONE);
    },
  };
}

/** The StreamEnd of a body that failed: its abort, time limit or transport failure. */
function convertStreamFailure({
  error,
  signal,
  accountId,
}: {
  error: unknown;
  signal: AbortSignal;
  accountId: string;
}): StreamEnd {
  const converted = convertTransportError({ error, signal, accountId });
  if (converted instanceof AbortedError) return { state: 'aborted', error: converted };
  if (converted instanceof UpstreamTimeoutError) {
    return {
      state: converted.phase === 'total' ? 'total-timeout' : 'idle-timeout',
      error: converted,
    };
  }
  return { state: 'dropped', error: converted };
}
