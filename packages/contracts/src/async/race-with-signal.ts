import { getAbortReason } from './get-abort-reason';

/**
 * Settles like `promise`, or rejects with `convertReason(signal)` (default: the signal's reason)
 * as soon as `signal` aborts, so a token source or an injected sleep that ignores its signal
 * cannot hold an aborted call. The promise itself keeps running (a later rejection of it is
 * handled here, never unhandled). One promise and one listener per call: it sits on the path
 * of every upstream attempt.
 */
export function raceWithSignal<T>({
  promise,
  signal,
  convertReason = getAbortReason,
}: {
  promise: Promise<T>;
  signal: AbortSignal | undefined;
  convertReason?: (signal: AbortSignal) => unknown;
}): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(convertReason(signal));
    if (signal.aborted) {
      onAbort();
      promise.then(undefined, () => undefined);
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
