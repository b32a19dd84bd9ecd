import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** A fresh directory under the OS temp dir, and a function that removes it. */
export async function createTempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'qwen-relay-tm-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A fresh temp directory per test of the calling suite, removed after each test. */
export function useTempDir(): { readonly dir: string } {
  let current: Awaited<ReturnType<typeof createTempDir>> | undefined;
  beforeEach(async () => {
    current = await createTempDir();
  });
  afterEach(async () => {
    await current?.remove();
    current = undefined;
  });
  return {
    get dir() {
      if (!current) throw new Error('useTempDir: only available inside a test');
      return current.dir;
    },
  };
}
