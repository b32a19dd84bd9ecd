import { type FakeQwen, type FakeQwenOptions, startFakeQwen } from '@qwen-relay/fake-qwen';
import { createTempDir } from '@qwen-relay/fake-qwen/testing';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/**
 * Registers the hooks most suites share: one fake Qwen upstream on loopback for the suite
 * (counters reset before each test) and a fresh temporary directory per test.
 */
export function useFakeQwenEnvironment(options: FakeQwenOptions = {}): {
  readonly fake: FakeQwen;
  /** the test's temporary directory (QWEN_DIR in most tests) */
  readonly dir: string;
} {
  let fake: FakeQwen | undefined;
  let temp: Awaited<ReturnType<typeof createTempDir>> | undefined;
  beforeAll(async () => {
    fake = await startFakeQwen(options);
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(async () => {
    temp = await createTempDir({ prefix: 'qwen-relay-cli-' });
    fake?.reset();
  });
  afterEach(async () => {
    await temp?.remove();
  });
  return {
    get fake() {
      if (fake === undefined) throw new Error('the fake starts in beforeAll');
      return fake;
    },
    get dir() {
      if (temp === undefined) throw new Error('the directory is created in beforeEach');
      return temp.path;
    },
  };
}
