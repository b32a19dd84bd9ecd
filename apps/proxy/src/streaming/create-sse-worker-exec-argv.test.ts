import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSseWorkerExecArgv, NO_REQUIRE_MODULE_FLAG } from './create-sse-worker-exec-argv';

describe('createSseWorkerExecArgv', () => {
  it("adds the flag to this process's options where Node knows it, once", () => {
    const allowedFlags = new Set([NO_REQUIRE_MODULE_FLAG]);
    expect(createSseWorkerExecArgv({ execArgv: ['--conditions=x'], allowedFlags })).toEqual([
      '--conditions=x',
      NO_REQUIRE_MODULE_FLAG,
    ]);
    expect(createSseWorkerExecArgv({ execArgv: [NO_REQUIRE_MODULE_FLAG], allowedFlags })).toEqual([
      NO_REQUIRE_MODULE_FLAG,
    ]);
  });

  it('leaves the options as they are on a Node that does not know the flag', () => {
    expect(
      createSseWorkerExecArgv({ execArgv: ['--conditions=x'], allowedFlags: new Set() }),
    ).toEqual(['--conditions=x']);
  });

  it('is what this Node accepts: this Node knows the flag', () => {
    expect(process.allowedNodeEnvironmentFlags.has(NO_REQUIRE_MODULE_FLAG)).toBe(true);
    expect(createSseWorkerExecArgv()).toContain(NO_REQUIRE_MODULE_FLAG);
  });
});

describe('a worker with these options', () => {
  let directory: string;
  let modulePath: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'qwen-relay-worker-argv-'));
    modulePath = join(directory, 'task.mjs');
    await writeFile(modulePath, 'export default function task() { return 42; }\n');
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  // what piscina does to load a task: require() first, import() when require() throws
  async function loadLikePiscina(
    execArgv: string[],
  ): Promise<{ required: string; result: number }> {
    const worker = new Worker(
      `
      const { parentPort } = require('node:worker_threads');
      let required = 'loaded';
      try { require(${JSON.stringify(modulePath)}); } catch (error) { required = error.code; }
      import(${JSON.stringify(pathToFileURL(modulePath).href)}).then((module) => {
        parentPort.postMessage({ required, result: module.default() });
      });
      `,
      { eval: true, execArgv },
    );
    const [message] = await once(worker, 'message');
    await worker.terminate();
    return message as { required: string; result: number };
  }

  it('loads an ES module task with import() only: require() of it refuses at once', async () => {
    expect(await loadLikePiscina(createSseWorkerExecArgv())).toEqual({
      required: 'ERR_REQUIRE_ESM',
      result: 42,
    });
  });
});
