import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the OS temp dir (never ~/.qwen), removed by `remove()`. */
export async function createTempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'qwen-relay-cli-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
