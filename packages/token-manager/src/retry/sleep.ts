/** The reason a signal carries, or a standard AbortError when it carries none. */
export function getAbortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Resolves after `delayInMs`; rejects with the signal's reason as soon as it aborts.
 * The timer is deliberately ref'd: somebody awaits this sleep (a device-flow poll, a lock wait, a
 * refresh backoff), and a standalone program must not exit silently in the middle of it. Only
 * the background timers (proactive refresh, file watch, lock heartbeat) are unref'd.
 */
export function sleep(delayInMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(getAbortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(getAbortReason(signal as AbortSignal));
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

/** Settles like `promise`, but rejects early when `signal` aborts (the promise itself keeps running). */
export function raceWithSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(getAbortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(getAbortReason(signal));
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
