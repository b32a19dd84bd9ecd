import { getAbortReason } from './get-abort-reason';

/**
 * Resolves after `delayInMs`; rejects with the signal's reason as soon as `signal` aborts.
 * Built on the global `setTimeout` (not `timers/promises`) so fake timers control it. The timer
 * is ref'd on purpose: somebody awaits this sleep (a backoff, a poll, a lock wait), and a
 * program must not exit silently in the middle of it.
 */
export function sleepWithSignal({
  delayInMs,
  signal,
}: {
  delayInMs: number;
  signal?: AbortSignal | undefined;
}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(getAbortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      if (signal) reject(getAbortReason(signal));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, delayInMs),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
