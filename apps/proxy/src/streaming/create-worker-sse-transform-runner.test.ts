import { afterEach, describe, expect, it, vi } from 'vitest';
import { NO_REQUIRE_MODULE_FLAG } from './create-sse-worker-exec-argv';

// the options the runner gives piscina (a real pool runs in test/sse-transform-modes.e2e.test.ts)
const constructed = vi.hoisted(() => [] as Array<Record<string, unknown>>);
vi.mock('piscina', () => ({
  Piscina: class {
    queueSize = 0;
    constructor(options: Record<string, unknown>) {
      constructed.push(options);
    }
    destroy() {
      return Promise.resolve();
    }
  },
}));

const { createWorkerSseTransformRunner } = await import('./create-worker-sse-transform-runner');

describe('createWorkerSseTransformRunner', () => {
  afterEach(() => {
    constructed.length = 0;
  });

  it('starts workers that load the task with import() only (no require() of ESM)', async () => {
    // vitest's transform has no import.meta.resolve: the task is named here
    const runner = createWorkerSseTransformRunner({
      threads: 2,
      taskFilename: 'file:///task/sse-transform-task.js',
    });
    expect(constructed).toHaveLength(1);
    const options = constructed[0] as { execArgv: string[]; filename: string };
    expect(options.execArgv).toContain(NO_REQUIRE_MODULE_FLAG);
    expect(options.execArgv.slice(0, process.execArgv.length)).toEqual(process.execArgv);
    expect(options.filename).toMatch(/sse-transform-task\.js$/);
    await runner.close();
  });
});
