import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isQwenRelayError } from '@qwen-relay/contracts';
import { withReadOnlyDirectory } from '@qwen-relay/fake-qwen/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useTempDir } from '../../test/support/create-temp-dir';
import { acquireFileLock, type FileLockObserver } from './acquire-file-lock';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The pid of a process that has already exited. */
async function startAndReapChild(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid as number;
}

describe('acquireFileLock', () => {
  const temp = useTempDir();
  let lockPath: string;
  beforeEach(() => {
    lockPath = join(temp.dir, 'oauth_creds.lock');
  });

  function recordStaleRemovals(): {
    removals: Parameters<NonNullable<FileLockObserver['onStaleRemoved']>>[0][];
    observer: FileLockObserver;
  } {
    const removals: Parameters<NonNullable<FileLockObserver['onStaleRemoved']>>[0][] = [];
    return { removals, observer: { onStaleRemoved: (info) => removals.push(info) } };
  }

  it('creates the lock exclusively with a random UUID line and its owner, removed on release', async () => {
    const lock = await acquireFileLock({ lockPath });
    const [idLine, ownerLine] = (await readFile(lockPath, 'utf8')).split('\n');
    expect(idLine).toMatch(UUID_PATTERN);
    expect(idLine).toBe(lock.lockId);
    expect(JSON.parse(ownerLine ?? '')).toEqual({ pid: process.pid, hostname: hostname() });
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

  it('waits for a live holder with 100 ms ×1.5 backoff capped at 2 s for staleness + 30 s + 5 s, then times out', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      await writeFile(lockPath, 'someone-else');
      const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
      const pending = acquireFileLock({ lockPath }).catch((error: unknown) => error);
      let settled = false;
      void pending.then(() => {
        settled = true;
      });
      while (!settled) {
        // a live holder: its heartbeat keeps the mtime fresh (real fs calls need real ticks)
        const touchedAt = new Date();
        await utimes(lockPath, touchedAt, touchedAt);
        await vi.waitFor(() => expect(settled || vi.getTimerCount() === 1).toBe(true));
        if (!settled) await vi.advanceTimersToNextTimerAsync();
      }
      const error = await pending;
      expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_LOCK_TIMEOUT');
      expect((error as Error).message).toContain('stale after 35 s');
      const delays = setTimeoutSpy.mock.calls.map((call) => call[1] as number);
      expect(delays.slice(0, 4)).toEqual([100, 150, 225, 337.5]);
      expect(delays.at(-1)).toBe(2_000);
      const waitedInMs = delays.reduce((sum, delay) => sum + delay, 0);
      // qwen-code 0.24: a dead holder's lock turns stale after 35 s, a live one's token call may take 30 s
      expect(waitedInMs).toBeGreaterThan(65_000);
      expect(waitedInMs).toBeLessThanOrEqual(70_000);
      // the other process's lock is untouched
      expect(await readFile(lockPath, 'utf8')).toBe('someone-else');
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes over a lock whose mtime is older than 35 s (rename to .stale.<uuid>, unlink)', async () => {
    await writeFile(lockPath, 'crashed-process');
    const fortySecondsAgo = new Date(Date.now() - 40_000);
    await utimes(lockPath, fortySecondsAgo, fortySecondsAgo);
    const { removals, observer } = recordStaleRemovals();
    const lock = await acquireFileLock({ lockPath, observer });
    expect(removals).toEqual([{ ageInMs: expect.any(Number), reason: 'expired' }]);
    expect(removals[0]?.ageInMs).toBeGreaterThan(35_000);
    expect((await readFile(lockPath, 'utf8')).split('\n')[0]).toBe(lock.lockId);
    expect(await readdir(temp.dir)).toEqual(['oauth_creds.lock']);
    await lock.release();
  });

  it('leaves a 20 s old lock alone: qwen-code 0.24 still honours it', async () => {
    await writeFile(lockPath, 'qwen-code-refreshing');
    const twentySecondsAgo = new Date(Date.now() - 20_000);
    await utimes(lockPath, twentySecondsAgo, twentySecondsAgo);
    const error = await acquireFileLock({ lockPath, maxWaitInMs: 300 }).catch((e: unknown) => e);
    expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_LOCK_TIMEOUT');
    expect(await readFile(lockPath, 'utf8')).toBe('qwen-code-refreshing');
  });

  it('honours a configured staleness', async () => {
    await writeFile(lockPath, 'old-qwen-code');
    const twelveSecondsAgo = new Date(Date.now() - 12_000);
    await utimes(lockPath, twelveSecondsAgo, twelveSecondsAgo);
    const { removals, observer } = recordStaleRemovals();
    const lock = await acquireFileLock({ lockPath, staleAfterInMs: 10_000, observer });
    expect(removals.map((removal) => removal.reason)).toEqual(['expired']);
    await lock.release();
  });

  it('treats a lock whose mtime is in the future (clock skew) as stale, with a reason', async () => {
    await writeFile(lockPath, 'skewed-clock');
    const inAnHour = new Date(Date.now() + 3_600_000);
    await utimes(lockPath, inAnHour, inAnHour);
    const { removals, observer } = recordStaleRemovals();
    const lock = await acquireFileLock({ lockPath, observer, maxWaitInMs: 1_000 });
    expect(removals.map((removal) => removal.reason)).toEqual(['future-mtime']);
    await lock.release();
  });

  it('treats a dangling symlink as a stale lock and replaces the link, not its target', async () => {
    await symlink(join(temp.dir, 'gone', 'nowhere.lock'), lockPath);
    const { removals, observer } = recordStaleRemovals();
    const lock = await acquireFileLock({ lockPath, observer, maxWaitInMs: 1_000 });
    expect(removals.map((removal) => removal.reason)).toEqual(['dangling-symlink']);
    expect((await stat(lockPath)).isFile()).toBe(true);
    await lock.release();
    expect(await readdir(temp.dir)).toEqual([]);
  });

  it('takes over at once a fresh lock whose recorded owner is a dead process of this host', async () => {
    const deadPid = await startAndReapChild();
    await writeFile(
      lockPath,
      `0b0c7d3e-0000-4000-8000-000000000000\n${JSON.stringify({ pid: deadPid, hostname: hostname() })}\n`,
    );
    const { removals, observer } = recordStaleRemovals();
    const lock = await acquireFileLock({ lockPath, observer, maxWaitInMs: 1_000 });
    expect(removals).toEqual([
      { ageInMs: expect.any(Number), reason: 'dead-owner', ownerPid: deadPid },
    ]);
    await lock.release();
  });

  it('waits for a fresh lock whose owner is alive, or runs on another host', async () => {
    const deadPid = await startAndReapChild();
    const owners = [
      { pid: process.pid, hostname: hostname() },
      { pid: deadPid, hostname: `not-${hostname()}` },
    ];
    for (const owner of owners) {
      const content = `0b0c7d3e-0000-4000-8000-000000000001\n${JSON.stringify(owner)}\n`;
      await writeFile(lockPath, content);
      const error = await acquireFileLock({ lockPath, maxWaitInMs: 300 }).catch((e: unknown) => e);
      expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_LOCK_TIMEOUT');
      expect(await readFile(lockPath, 'utf8')).toBe(content);
    }
  });

  it('names the directory and the fix when the lock cannot be created (read-only directory)', async () => {
    const error = await withReadOnlyDirectory({
      dir: temp.dir,
      action: () => acquireFileLock({ lockPath, maxWaitInMs: 1_000 }).catch((e: unknown) => e),
    });
    expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_CREDENTIALS_DIR_UNWRITABLE');
    expect(isQwenRelayError(error) && error.status).toBe(503);
    expect((error as Error).message).toContain(`${temp.dir} is not writable`);
    expect((error as Error).message).toContain('EACCES');
    expect((error as Error).message).toContain('QWEN_DIR');
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
