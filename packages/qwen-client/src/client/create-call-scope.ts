import { createLightAbortController } from '@qwen-relay/contracts';
import { AbortedError, UpstreamTimeoutError } from '../errors/upstream-errors';

/** The life of one call: one signal that fires on the caller's abort or the total deadline. */
export interface CallScope {
  /** its `reason` is an AbortedError or an UpstreamTimeoutError with phase 'total' */
  readonly signal: AbortSignal;
  /** stops the deadline timer and detaches from the caller's signal; idempotent */
  dispose(): void;
}

/**
 * Links the caller's signal and the total deadline into one AbortSignal that every part of the
 * call (token look-up, request, body, backoff sleeps) listens to. Disposed when the JSON body
 * is read, the call fails, or the stream ends, so long-lived caller signals do not collect
 * listeners.
 */
export function createCallScope({
  callerSignal,
  totalInMs,
}: {
  callerSignal: AbortSignal | undefined;
  totalInMs: number;
}): CallScope {
  // a light controller: a native AbortSignal costs ~5 µs to create on Node 20 (see contracts)
  const controller = createLightAbortController();
  const onCallerAbort = () =>
    controller.abort(new AbortedError({ cause: callerSignal?.reason as unknown }));
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const timer =
    totalInMs > 0
      ? setTimeout(() => {
          controller.abort(
            new UpstreamTimeoutError({
              phase: 'total',
              message: `Upstream call exceeded its total deadline of ${totalInMs} ms`,
            }),
          );
        }, totalInMs)
      : undefined;
  // the deadline alone must not keep a process alive
  timer?.unref();
  return {
    signal: controller.signal,
    dispose() {
      if (timer) clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}
