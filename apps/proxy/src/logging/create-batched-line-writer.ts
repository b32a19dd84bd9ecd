/** Writes log lines in batches: one write per turn of the event loop instead of one per line. */
export interface BatchedLineWriter {
  /** queues `line` (a newline is added); it is written before the loop next waits for I/O */
  writeLine(line: string): void;
  /** writes whatever is queued now */
  flush(): void;
}

/**
 * Creates the writer. Under load the proxy logs one access line per request; each `write` to
 * stdout is a system call (synchronous for files and pipes), so lines are joined and written
 * once per turn of the event loop (setImmediate), or at once when `maxQueuedChars` is reached.
 * Order is kept. The process's `exit` flushes what is left (exit handlers run synchronously,
 * and stdout writes to files and pipes are synchronous on POSIX), so a crash or `process.exit`
 * loses no line.
 */
export function createBatchedLineWriter({
  write,
  maxQueuedChars = 64 * 1024,
  flushOnExit = true,
}: {
  write: (text: string) => void;
  maxQueuedChars?: number;
  flushOnExit?: boolean;
}): BatchedLineWriter {
  let queued = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
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
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
