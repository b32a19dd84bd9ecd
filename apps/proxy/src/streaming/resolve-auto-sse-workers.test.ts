import { describe, expect, it } from 'vitest';
import {
  MIN_CORES_FOR_SSE_WORKERS,
  resolveAutoSseWorkers,
  SSE_WORKER_MIN_READ_BYTES,
} from './resolve-auto-sse-workers';

describe('resolveAutoSseWorkers', () => {
  it('stays inline below four cores', () => {
    for (const cores of [1, 2, 3]) {
      expect(resolveAutoSseWorkers({ cores })).toEqual({ threads: 0, inlineBelowBytes: 0 });
    }
  });

  it('leaves two cores to the main thread and the host, at most eight threads', () => {
    expect(resolveAutoSseWorkers({ cores: MIN_CORES_FOR_SSE_WORKERS })).toEqual({
      threads: 2,
      inlineBelowBytes: SSE_WORKER_MIN_READ_BYTES,
    });
    expect(resolveAutoSseWorkers({ cores: 8 }).threads).toBe(6);
    expect(resolveAutoSseWorkers({ cores: 64 }).threads).toBe(8);
  });
});
