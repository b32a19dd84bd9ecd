import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createBatchedLineWriter } from './create-batched-line-writer';

describe('createBatchedLineWriter', () => {
  it('writes the lines of several turns of the event loop in one write, in order', async () => {
    const writes: string[] = [];
    const writer = createBatchedLineWriter({
      write: (text) => writes.push(text),
      maxDelayInMs: 30,
      flushOnExit: false,
    });
    writer.writeLine('first');
    await new Promise((resolve) => setImmediate(resolve));
    writer.writeLine('second');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([]);
    await expect.poll(() => writes).toEqual(['first\nsecond\n']);
    writer.writeLine('third');
    await sleep(60);
    expect(writes).toEqual(['first\nsecond\n', 'third\n']);
  });

  it('writes at once when the queue is full, and on flush', () => {
    const writes: string[] = [];
    const writer = createBatchedLineWriter({
      write: (text) => writes.push(text),
      maxQueuedChars: 10,
      flushOnExit: false,
    });
    writer.writeLine('12345');
    expect(writes).toEqual([]);
    writer.writeLine('67890');
    expect(writes).toEqual(['12345\n67890\n']);
    writer.writeLine('tail');
    writer.flush();
    expect(writes).toEqual(['12345\n67890\n', 'tail\n']);
    writer.flush();
    expect(writes).toHaveLength(2);
  });
});
