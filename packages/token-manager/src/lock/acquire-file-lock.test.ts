import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useTempDir } from '../../test/support/create-temp-dir';
import { isQwenRelayError } from '../errors/qwen-relay-error';
import { acquireFileLock } from './acquire-file-lock';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('acquireFileLock', () => {
  const temp = useTempDir();
  let lockPath: string;
  beforeEach(() => {
    lockPath = join(temp.dir, 'oauth_creds.lock');
  });

  it('creates the lock exclusively with a random UUID and removes it on release', async () => {
    const lock = await acquireFileLock({ lockPath });
    const content = await readFile(lockPath, 'utf8');
    expect(content).toMatch(UUID_PATTERN);
    expect(content).toBe(lock.lockId);
    await lock.release();
    expect(await readdir(temp.dir)).toEqual([]);
  });

  it('gives mutual exclusion to concurrent holders', async () => {
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const lock = await acquireFileLock({
          lockPath,
          initialDelayInMs: 5,
          maxDelayInMs: 20,
          maxAttempts: 200,
        });
        inside += 1;
        maxInside = Math.max(maxInside, inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside -= 1;
        await lock.release();
      }),
    );
    expect(maxInside).toBe(1);
  });

  it('waits for a held lock with 100 ms ×1.5 backoff capped at 2 s, then times out', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await writeFile(lockPath, 'someone-else');
      const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
      const waits: number[] = [];
      const pending = acquireFileLock({
        lockPath,
        observer: { onWaiting: ({ attempt }) => waits.push(attempt) },
      }).catch((error: unknown) => error);
      // 19 sleeps: 100, 150, 225 ... capped at 2000; real fs calls need real ticks between them
      const delays: number[] = [];
      let delay = 100;
      for (let sleepIndex = 0; sleepIndex < 19; sleepIndex += 1) {
        delays.push(delay);
        delay = Math.min(delay * 1.5, 2_000);
      }
      for (const step of delays) {
        await vi.waitFor(() => expect(vi.getTimerCount()).toBe(1));
        await vi.advanceTimersByTimeAsync(step);
      }
      const error = await pending;
      expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_LOCK_TIMEOUT');
      expect(waits).toEqual(Array.from({ length: 19 }, (_, index) => index + 1));
      expect(setTimeoutSpy.mock.calls.map((call) => call[1])).toEqual(delays);
      expect(delays.slice(0, 4)).toEqual([100, 150, 225, 337.5]);
      expect(delays.at(-1)).toBe(2_000);
      // the other process's lock is untouched
      expect(await readFile(lockPath, 'utf8')).toBe('someone-else');
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes over a lock whose mtime is older than 10 s (rename to .stale.<uuid>, unlink)', async () => {
    await writeFile(lockPath, 'crashed-process');
    const twentySecondsAgo = new Date(Date.now() - 20_000);
    await utimes(lockPath, twentySecondsAgo, twentySecondsAgo);
    const staleAges: number[] = [];
    const lock = await acquireFileLock({
      lockPath,
      observer: { onStaleRemoved: ({ ageInMs }) => staleAges.push(ageInMs) },
    });
    expect(staleAges).toHaveLength(1);
    expect(staleAges[0]).toBeGreaterThan(10_000);
    expect(await readFile(lockPath, 'utf8')).toBe(lock.lockId);
    expect(await readdir(temp.dir)).toEqual(['oauth_creds.lock']);
    await lock.release();
  });

  it('never removes a lock that is no longer ours', async () => {
    const lock = await acquireFileLock({ lockPath });
    // someone decided ours was stale and took over
    await writeFile(lockPath, 'new-owner');
    await lock.release();
    expect(await readFile(lockPath, 'utf8')).toBe('new-owner');
  });

  it('keeps a held lock fresh so a slow holder is never considered stale', async () => {
    const lock = await acquireFileLock({ lockPath, heartbeatIntervalInMs: 20 });
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lockPath, longAgo, longAgo);
    await vi.waitFor(async () => {
      expect(Date.now() - (await stat(lockPath)).mtimeMs).toBeLessThan(10_000);
    });
    await lock.release();
  });

  it('stops waiting when aborted', async () => {
    await writeFile(lockPath, 'someone-else');
    const controller = new AbortController();
    const pending = acquireFileLock({ lockPath, signal: controller.signal });
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });
});
