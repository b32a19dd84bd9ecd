import { randomUUID } from 'node:crypto';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from '@qwen-relay/contracts/node';
import { StateStoreError } from '../errors/state-store-error';

/** The owner record written inside the state lock file. */
interface LockOwner {
  id: string;
  pid: number;
  host: string;
}

/** Options of {@link withStateFileLock}. */
export interface StateFileLockOptions {
  lockPath: string;
  /** a lock older than this (or dated this far in the future) is abandoned (default 10 s) */
  staleAfterInMs?: number;
  /** give up after this long (default 15 s) */
  waitBudgetInMs?: number;
  now?: () => number;
  onWarning?: (message: string) => void;
}

async function isLockAbandoned({
  lockPath,
  staleAfterInMs,
  now,
}: {
  lockPath: string;
  staleAfterInMs: number;
  now: () => number;
}): Promise<string | undefined> {
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(lockPath)).mtimeMs;
  } catch {
    return undefined; // gone already: the next create will tell
  }
  const ageInMs = now() - mtimeMs;
  if (ageInMs > staleAfterInMs) return `older than ${staleAfterInMs} ms`;
  if (-ageInMs > staleAfterInMs) return 'dated in the future (clock skew)';
  try {
    const owner = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockOwner>;
    if (owner.host === hostname() && typeof owner.pid === 'number' && !isProcessAlive(owner.pid)) {
      return `its owner (pid ${owner.pid}) is no longer running`;
    }
  } catch {
    // half-written by its owner right now: wait for it like any held lock
  }
  return undefined;
}

/**
 * Runs `task` while holding an exclusive lock file (created with `wx`, owner pid and host
 * inside). Invariant: only the creator removes its lock, except a lock found abandoned (stale,
 * future-dated, or owned by a dead process on this host), which is removed once with a warning.
 */
export async function withStateFileLock<T>(
  {
    lockPath,
    staleAfterInMs = 10_000,
    waitBudgetInMs = 15_000,
    now = Date.now,
    onWarning,
  }: StateFileLockOptions,
  task: () => Promise<T>,
): Promise<T> {
  const owner: LockOwner = { id: randomUUID(), pid: process.pid, host: hostname() };
  const startedAtInMs = now();
  let delayInMs = 2;
  for (;;) {
    try {
      await writeFile(lockPath, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new StateStoreError({
          code: 'QWEN_RELAY_STATE_STORE_UNAVAILABLE',
          message: `cannot create the state lock ${lockPath} (${code ?? String(error)}): make the directory writable or set another state directory`,
          retryable: true,
          cause: error,
        });
      }
    }
    const abandonedBecause = await isLockAbandoned({ lockPath, staleAfterInMs, now });
    if (abandonedBecause !== undefined) {
      onWarning?.(`removing abandoned state lock ${lockPath}: ${abandonedBecause}`);
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (now() - startedAtInMs > waitBudgetInMs) {
      throw new StateStoreError({
        code: 'QWEN_RELAY_STATE_STORE_UNAVAILABLE',
        message: `timed out after ${waitBudgetInMs} ms waiting for the state lock ${lockPath}`,
        retryable: true,
      });
    }
    await sleep(delayInMs);
    delayInMs = Math.min(100, delayInMs * 2);
  }
  try {
    return await task();
  } finally {
    try {
      const content = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockOwner>;
      if (content.id === owner.id) await unlink(lockPath);
    } catch {
      // already gone (taken over as stale): nothing of ours to remove
    }
  }
}
