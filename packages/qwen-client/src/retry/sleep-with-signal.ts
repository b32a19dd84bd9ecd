/**
 * Resolves after `delayInMs`; rejects with the signal's reason as soon as `signal` aborts.
 * Built on the global `setTimeout` (not `timers/promises`) so fake timers control it.
 */
export function sleepWithSignal({
  delayInMs,
  signal,
}: {
  delayInMs: number;
  signal?: AbortSignal;
}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayInMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
