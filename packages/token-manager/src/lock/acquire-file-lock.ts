import { randomUUID } from 'node:crypto';
import { readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { LockTimeoutError } from '../errors/lock-timeout-error';
import { isErrnoException } from '../fs/is-errno-exception';
import { sleep } from '../retry/sleep';
import { type FileLockOptions, resolveFileLockOptions } from './lock-options';

/** A lock this process holds; release it in `finally`. */
export interface FileLock {
  readonly lockPath: string;
  /** the random id written into the lock file */
  readonly lockId: string;
  /** unlinks the lock if (and only if) it still contains our id; never throws */
  release(): Promise<void>;
}

/** Progress callbacks of {@link acquireFileLock}, used for events. */
export interface FileLockObserver {
  onWaiting?: (info: { attempt: number }) => void;
  onStaleRemoved?: (info: { ageInMs: number }) => void;
  onAcquired?: (info: { waitedInMs: number }) => void;
}

async function readLockId(lockPath: string): Promise<string | undefined> {
  try {
    return (await readFile(lockPath, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** Takes over a stale lock the way qwen-code does: rename to a unique name, then unlink that. */
async function removeStaleLock(lockPath: string): Promise<boolean> {
  const stalePath = `${lockPath}.stale.${randomUUID()}`;
  try {
    // rename is atomic: of several processes seeing the same stale lock only one moves it
    await rename(lockPath, stalePath);
  } catch {
    return false;
  }
  await unlink(stalePath).catch(() => undefined);
  return true;
}

/**
 * Acquires qwen-code's refresh lock (`oauth_creds.lock`): exclusive create (`wx`) of a file
 * holding a random UUID; a lock older than 10 s is stale and taken over; otherwise wait
 * 100 ms ×1.5 up to 2 s between attempts, at most 20 attempts, then LockTimeoutError.
 *
 * Ownership invariant: while held, a heartbeat re-touches the lock's mtime (every 3 s, well
 * inside the 10 s staleness window), so no other process may consider it stale while our
 * slow refresh runs; release removes the file only if it still contains our UUID, so a lock
 * taken over by someone else is never deleted by us.
 */
export async function acquireFileLock({
  lockPath,
  signal,
  now = Date.now,
  observer = {},
  ...options
}: {
  lockPath: string;
  signal?: AbortSignal;
  /** wall clock compared with mtimes (default Date.now) */
  now?: () => number;
  observer?: FileLockObserver;
} & FileLockOptions): Promise<FileLock> {
  const { staleAfterInMs, maxAttempts, initialDelayInMs, maxDelayInMs, heartbeatIntervalInMs } =
    resolveFileLockOptions(options);
  const lockId = randomUUID();
  const startedAtInMs = now();
  let delayInMs = initialDelayInMs;

  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    signal?.throwIfAborted();
    try {
      await writeFile(lockPath, lockId, { flag: 'wx', mode: 0o600 });
      observer.onAcquired?.({ waitedInMs: Math.max(0, now() - startedAtInMs) });
      return createHeldLock({ lockPath, lockId, heartbeatIntervalInMs });
    } catch (error) {
      if (!isErrnoException(error) || error.code !== 'EEXIST') throw error;
    }
    let ageInMs: number | undefined;
    try {
      ageInMs = now() - (await stat(lockPath)).mtimeMs;
    } catch {
      // vanished between our create and stat: try again at once
      continue;
    }
    if (ageInMs > staleAfterInMs) {
      if (await removeStaleLock(lockPath)) observer.onStaleRemoved?.({ ageInMs });
      continue;
    }
    if (attempt === maxAttempts) break;
    observer.onWaiting?.({ attempt });
    await sleep(delayInMs, signal);
    delayInMs = Math.min(delayInMs * 1.5, maxDelayInMs);
  }
  throw new LockTimeoutError({ lockPath, attempts: maxAttempts });
}

function createHeldLock({
  lockPath,
  lockId,
  heartbeatIntervalInMs,
}: {
  lockPath: string;
  lockId: string;
  heartbeatIntervalInMs: number;
}): FileLock {
  let released = false;
  const heartbeat = setInterval(() => {
    void (async () => {
      if (released || (await readLockId(lockPath)) !== lockId) return;
      const touchedAt = new Date();
      await utimes(lockPath, touchedAt, touchedAt).catch(() => undefined);
    })();
  }, heartbeatIntervalInMs);
  // the heartbeat must never keep a process alive on its own
  heartbeat.unref();

  return {
    lockPath,
    lockId,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      // only a lock that still holds our id is ours to remove
      if ((await readLockId(lockPath)) !== lockId) return;
      await unlink(lockPath).catch(() => undefined);
    },
  };
}
