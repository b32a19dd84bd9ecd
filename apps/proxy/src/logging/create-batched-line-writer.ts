/** Writes log lines in batches: at most one write per `maxDelayInMs` instead of one per line. */
export interface BatchedLineWriter {
  /** queues `line` (a newline is added); it is written within `maxDelayInMs` */
  writeLine(line: string): void;
  /** writes whatever is queued now */
  flush(): void;
}

/**
 * Creates the writer. Under load the proxy logs one access line per request; each `write` to
 * stdout is a system call (synchronous for files and pipes). Once per turn of the event loop
 * was still about one write per request at a thousand requests a second (a turn rarely
 * finishes more than one or two), so lines are joined and written `maxDelayInMs` (default
 * 20 ms) after the first of them, or at once when `maxQueuedChars` is reached. Order is kept. The process's `exit` flushes what is left (exit handlers run synchronously,
 * and stdout writes to files and pipes are synchronous on POSIX), so a crash or `process.exit`
 * loses no line.
 */
export function createBatchedLineWriter({
  write,
  maxQueuedChars = 64 * 1024,
  maxDelayInMs = 20,
  flushOnExit = true,
}: {
  write: (text: string) => void;
  maxQueuedChars?: number;
  maxDelayInMs?: number;
  flushOnExit?: boolean;
}): BatchedLineWriter {
  let queued = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (queued === '') return;
    const text = queued;
    queued = '';
    write(text);
  };
  if (flushOnExit) process.once('exit', flush);
  return {
    writeLine(line) {
      queued += `${line}\n`;
      if (queued.length >= maxQueuedChars) {
        flush();
        return;
      }
      if (timer === undefined) {
        timer = setTimeout(flush, maxDelayInMs);
        // a pending line must not keep the process alive: exit flushes it
        timer.unref();
      }
    },
    flush,
  };
}
