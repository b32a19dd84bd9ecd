import type { Readable } from 'node:stream';
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

/**
 * Wraps undici's response body: bytes are pulled by the consumer (backpressure reaches the
 * socket), and `ended` resolves exactly once, never rejects, however the body finishes —
 * including when it is destroyed while nobody is iterating.
 */
export function createUpstreamStream({
  body,
  signal,
  accountId,
}: {
  body: Readable;
  signal: AbortSignal;
  accountId: string;
}): { body: AsyncIterable<Uint8Array>; ended: Promise<StreamEnd> } {
  let resolveEnded: (end: StreamEnd) => void = () => {};
  const ended = new Promise<StreamEnd>((resolve) => {
    resolveEnded = resolve;
  });
  let failure: unknown;
  let stoppedByConsumer = false;
  // without an 'error' listener a socket error while nobody iterates would crash the process
  body.on('error', (error) => {
    failure ??= error;
  });
  body.once('close', () => {
    if (body.readableEnded && failure === undefined) {
      resolveEnded({ state: 'completed' });
      return;
    }
    resolveEnded(
      convertStreamFailure({ error: stoppedByConsumer ? undefined : failure, signal, accountId }),
    );
  });

  let iterated = false;
  /*
   * A thin iterator over the Readable's own instead of an async generator around a for-await:
   * one promise per chunk instead of three. Same contract as that generator had: a failure
   * only stops the iteration (`ended` reports it), and whenever iteration ends — done, failed
   * or returned early by the consumer — a body not yet destroyed is destroyed, releasing the
   * socket instead of leaving it half-read.
   */
  function pull(): AsyncIterator<Uint8Array, undefined> {
    const inner = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    let finished = false;
    const finish = (): IteratorReturnResult<undefined> => {
      if (!finished) {
        finished = true;
        if (!body.destroyed) {
          stoppedByConsumer = true;
          body.destroy();
        }
      }
      return { done: true, value: undefined };
    };
    return {
      next: () =>
        finished
          ? Promise.resolve(finish())
          : inner.next().then(
              (result): IteratorResult<Uint8Array, undefined> => (result.done ? finish() : result),
              // the failure is reported through `ended`; iteration just stops
              () => finish(),
            ),
      async return() {
        if (!finished) {
          try {
            // the consumer stopped early: close the Readable's iterator first, like for-await did
            await inner.return?.();
          } catch {
            // reported through `ended`
          }
          finish();
        }
        return { done: true, value: undefined };
      },
    };
  }
  return {
    body: {
      [Symbol.asyncIterator]() {
        if (iterated) throw new TypeError('an upstream body can only be iterated once');
        iterated = true;
        return pull();
      },
    },
    ended,
  };
}

function convertStreamFailure({
  error,
  signal,
  accountId,
}: {
  error: unknown;
  signal: AbortSignal;
  accountId: string;
}): StreamEnd {
  if (error === undefined && !signal.aborted) {
    // destroyed locally without an error: the consumer stopped early
    return {
      state: 'aborted',
      error: new AbortedError({ accountId, message: 'The consumer stopped reading the stream' }),
    };
  }
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
