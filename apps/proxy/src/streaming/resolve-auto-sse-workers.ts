/*
 * The SSE_WORKERS=auto decision, from the cost model in bench/README.md ("SSE workers"): a worker
 * frees the main thread of a read's transform but costs it a task round trip instead, which is
 * only a gain for large reads; and the worker needs a core of its own, beside the main thread and
 * what else runs on the host, or it only takes CPU from the main thread.
 */

/** Below this many cores workers never pay: the main thread, the OS and the I/O threads take two. */
export const MIN_CORES_FOR_SSE_WORKERS = 4;

/**
 * Reads of at least this many bytes go to a worker; smaller ones cost less to transform inline
 * than a task costs the main thread (measured crossover, bench/README.md).
 */
export const SSE_WORKER_MIN_READ_BYTES = 8 * 1024;

/** Most threads auto starts: past this, the main thread's share of each task is the limit. */
const MAX_AUTO_THREADS = 8;

/** What SSE_WORKERS=auto runs with on a host with `cores` cores. */
export function resolveAutoSseWorkers({ cores }: { cores: number }): {
  threads: number;
  inlineBelowBytes: number;
} {
  if (cores < MIN_CORES_FOR_SSE_WORKERS) return { threads: 0, inlineBelowBytes: 0 };
  return {
    // the main thread and the rest of the host keep two cores
    threads: Math.min(MAX_AUTO_THREADS, cores - 2),
    inlineBelowBytes: SSE_WORKER_MIN_READ_BYTES,
  };
}
