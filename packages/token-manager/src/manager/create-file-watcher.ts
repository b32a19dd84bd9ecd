/** Runs the credentials-file check: on demand (throttled) and every interval. */
export interface FileWatcher {
  /**
   * Runs `check` unless one is running (joined) or, without `force`, one ran within the
   * interval; resolves when it is done.
   */
  check(options: { force: boolean }): Promise<void>;
  /** the check in progress, if any (close() waits for it) */
  readonly running: Promise<void> | undefined;
  /** whether `check({ force: false })` would run a check now (none running, the interval passed) */
  isDue(): boolean;
  /** checks every interval from now on; the timer never keeps the process alive */
  start(): void;
  stop(): void;
}

/**
 * The schedule of the file watch, apart from what a check does (a cheap signature stat, then a
 * read when it changed): single flight, a throttle for checks on the request path, and an
 * unref'd interval timer.
 */
export function createFileWatcher({
  intervalInMs,
  now,
  check,
}: {
  intervalInMs: number;
  now: () => number;
  check: () => Promise<void>;
}): FileWatcher {
  let lastCheckAtInMs = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  function runCheck({ force }: { force: boolean }): Promise<void> {
    if (running) return running;
    if (!force && now() - lastCheckAtInMs < intervalInMs) return Promise.resolve();
    lastCheckAtInMs = now();
    const current = check().finally(() => {
      running = undefined;
    });
    running = current;
    return current;
  }

  return {
    check: runCheck,
    get running() {
      return running;
    },
    isDue: () => running !== undefined || now() - lastCheckAtInMs >= intervalInMs,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        void runCheck({ force: true }).catch(() => undefined);
      }, intervalInMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
