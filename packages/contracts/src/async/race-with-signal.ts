import { getAbortReason } from './get-abort-reason';

/**
 * Settles like `promise`, or rejects with `convertReason(signal)` (default: the signal's reason)
 * as soon as `signal` aborts, so a token source or an injected sleep that ignores its signal
 * cannot hold an aborted call. The promise itself keeps running.
 */
export async function raceWithSignal<T>({
  promise,
  signal,
  convertReason = getAbortReason,
}: {
  promise: Promise<T>;
  signal: AbortSignal | undefined;
  convertReason?: (signal: AbortSignal) => unknown;
}): Promise<T> {
  if (!signal) return promise;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(convertReason(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
