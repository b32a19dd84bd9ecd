import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

describe('createStateStore', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'qwen-relay-state-store-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('needs node-redis only for a Redis store: loaded when one is created, reported if it cannot be', async () => {
    const worker = fileURLToPath(new URL('../test/without-redis-worker.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [worker, directory]);
    const result = JSON.parse(stdout) as {
      fileKind: string;
      counted: string;
      redisError?: { code: string; message: string };
    };
    // the package, and the file store in it, work in a process that cannot load node-redis
    expect(result.fileKind).toBe('file');
    expect(result.counted).toBe('2');
    // a Redis store created there fails its operations as unavailable, naming the cause
    expect(result.redisError?.code).toBe('QWEN_RELAY_STATE_STORE_UNAVAILABLE');
    expect(result.redisError?.message).toContain('node-redis is not loadable in this test');
  });
});
