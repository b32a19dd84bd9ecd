import { createInlineSseTransformRunner } from './create-inline-sse-transform-runner';
import { createWorkerSseTransformRunner } from './create-worker-sse-transform-runner';
import type { SseTransformRunner } from './sse-transform-runner';

/** SSE_WORKERS=0 → inline on the main thread; N → a piscina pool of N threads. */
export function createSseTransformRunner({
  sseWorkers,
}: {
  sseWorkers: number;
}): SseTransformRunner {
  return sseWorkers === 0
    ? createInlineSseTransformRunner()
    : createWorkerSseTransformRunner({ threads: sseWorkers });
}
