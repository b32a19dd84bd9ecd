import { availableParallelism } from 'node:os';
import { createInlineSseTransformRunner } from './create-inline-sse-transform-runner';
import { createWorkerSseTransformRunner } from './create-worker-sse-transform-runner';
import { resolveAutoSseWorkers } from './resolve-auto-sse-workers';
import type { SseTransformRunner } from './sse-transform-runner';

/**
 * SSE_WORKERS=0 → inline on the main thread; N → a piscina pool of N threads; auto → what
 * resolveAutoSseWorkers chooses for this host's cores (inline below four cores).
 */
export function createSseTransformRunner({
  sseWorkers,
  cores = availableParallelism(),
}: {
  sseWorkers: number | 'auto';
  cores?: number;
}): SseTransformRunner {
  if (sseWorkers === 'auto') {
    const { threads, inlineBelowBytes } = resolveAutoSseWorkers({ cores });
    return threads === 0
      ? createInlineSseTransformRunner()
      : createWorkerSseTransformRunner({ threads, inlineBelowBytes });
  }
  return sseWorkers === 0
    ? createInlineSseTransformRunner()
    : createWorkerSseTransformRunner({ threads: sseWorkers });
}
