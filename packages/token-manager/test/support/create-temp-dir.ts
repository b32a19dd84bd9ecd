import { createTempDir as createSharedTempDir, type TempDir } from '@qwen-relay/fake-qwen/testing';
import { afterEach, beforeEach } from 'vitest';

/** A fresh directory under the OS temp dir (prefix `qwen-relay-tm-`) and its `remove()`. */
export function createTempDir(): Promise<TempDir> {
  return createSharedTempDir({ prefix: 'qwen-relay-tm-' });
}

/** A fresh temp directory per test of the calling suite, removed after each test. */
export function useTempDir(): { readonly dir: string } {
  let current: TempDir | undefined;
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
      return current.path;
    },
  };
}
