import { randomUUID } from 'node:crypto';
import { link, readFile, rename, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LockStaleReason } from '@qwen-relay/contracts';
import { CredentialsDirUnwritableError } from '../errors/credentials-dir-unwritable-error';
import { LockTimeoutError } from '../errors/lock-timeout-error';
import { isErrnoException } from '../fs/is-errno-exception';
import { sleep } from '../retry/sleep';
import { inspectLock } from './inspect-lock';
import { type FileLockOptions, resolveFileLockOptions } from './lock-options';
import { formatLockContent, getCurrentLockOwner, parseLockContent } from './lock-owner';

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
  onStaleRemoved?: (info: { ageInMs: number; reason: LockStaleReason; ownerPid?: number }) => void;
  onAcquired?: (info: { waitedInMs: number }) => void;
}

async function readLockId(lockPath: string): Promise<string | undefined> {
  try {
    return parseLockContent(await readFile(lockPath, 'utf8')).lockId;
  } catch {
    return undefined;
  }
}

/**
 * Takes over a stale lock the way qwen-code does: rename to a unique name, then unlink that.
 * Between our inspection and the rename another process may have replaced the stale lock with
 * a live one; the moved file is inspected again and, if it is no longer stale, linked back
 * (`link` fails if a lock exists again, so nobody's lock is overwritten).
 */
async function removeStaleLock({
  lockPath,
  staleAfterInMs,
  now,
}: {
  lockPath: string;
  staleAfterInMs: number;
  now: () => number;
}): Promise<boolean> {
  const stalePath = `${lockPath}.stale.${randomUUID()}`;
  try {
    // rename is atomic: of several processes seeing the same stale lock only one moves it
    await rename(lockPath, stalePath);
  } catch {
    return false;
  }
  const moved = await inspectLock({ lockPath: stalePath, now, staleAfterInMs }).catch(
    () => undefined,
  );
  if (moved?.state === 'held') {
    await link(stalePath, lockPath).catch(() => undefined);
    await unlink(stalePath).catch(() => undefined);
    return false;
  }
  await unlink(stalePath).catch(() => undefined);
  return true;
}

/**
 * Acquires qwen-code's refresh lock (`oauth_creds.lock`): exclusive create (`wx`) of a file
 * holding a random UUID (plus, on a second line, our pid and host name); a lock is stale and
 * taken over when its mtime is older than 35 s (qwen-code 0.24; configurable), in the future,
 * when it is a dangling symlink, or when its recorded owner is a dead process of this host;
 * otherwise wait 100 ms ×1.5 up to 2 s between attempts, for at most `maxWaitInMs` (staleness
 * + 30 s token call + 5 s), then LockTimeoutError. A directory where the lock cannot be
 * created at all gives CredentialsDirUnwritableError at once.
 *
 * Ownership invariant: while held, a heartbeat re-touches the lock's mtime (every 3 s, well
 * inside any staleness window, qwen-code's 10 s of old included), so no other process may
 * consider it stale while our slow refresh runs; release removes the file only if it still
 * contains our UUID, so a lock taken over by someone else is never deleted by us.
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
  /** wall clock compared with mtimes and the wait budget (default Date.now) */
  now?: () => number;
  observer?: FileLockObserver;
} & FileLockOptions): Promise<FileLock> {
  const {
    staleAfterInMs,
    maxWaitInMs,
    maxAttempts,
    initialDelayInMs,
    maxDelayInMs,
    heartbeatIntervalInMs,
  } = resolveFileLockOptions(options);
  const lockId = randomUUID();
  const content = formatLockContent({ lockId, owner: getCurrentLockOwner() });
  const startedAtInMs = now();
  let delayInMs = initialDelayInMs;
  let attempt = 0;

  for (;;) {
    attempt += 1;
    signal?.throwIfAborted();
    try {
      await writeFile(lockPath, content, { flag: 'wx', mode: 0o600 });
      observer.onAcquired?.({ waitedInMs: Math.max(0, now() - startedAtInMs) });
      return createHeldLock({ lockPath, lockId, heartbeatIntervalInMs });
    } catch (error) {
      if (!isErrnoException(error)) throw error;
      if (error.code !== 'EEXIST') {
        throw new CredentialsDirUnwritableError({
          directory: dirname(lockPath),
          path: lockPath,
          errnoCode: error.code ?? 'EIO',
          cause: error,
        });
      }
    }
    const inspection = await inspectLock({ lockPath, now, staleAfterInMs });
    // vanished between our create and the inspection: try again at once
    if (inspection.state === 'free') continue;
    if (inspection.state === 'stale') {
      if (await removeStaleLock({ lockPath, staleAfterInMs, now })) {
        observer.onStaleRemoved?.({
          ageInMs: inspection.ageInMs ?? 0,
          reason: inspection.staleReason ?? 'expired',
          ...(inspection.owner === undefined ? {} : { ownerPid: inspection.owner.pid }),
        });
      }
      continue;
    }
    const waitedInMs = now() - startedAtInMs;
    if (attempt >= maxAttempts || waitedInMs + delayInMs > maxWaitInMs) break;
    observer.onWaiting?.({ attempt });
    await sleep(delayInMs, signal);
    delayInMs = Math.min(delayInMs * 1.5, maxDelayInMs);
  }
  throw new LockTimeoutError({
    lockPath,
    attempts: attempt,
    waitedInMs: Math.max(0, now() - startedAtInMs),
    staleAfterInMs,
  });
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
