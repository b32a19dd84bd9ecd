import { lstat, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { LockStaleReason } from '@qwen-relay/contracts';
import { isProcessAlive } from '@qwen-relay/contracts/node';
import { isErrnoException } from '../fs/is-errno-exception';
import { DEFAULT_LOCK_STALE_AFTER_IN_MS } from './lock-options';
import { type LockOwner, parseLockContent } from './lock-owner';

/**
 * A lock mtime further ahead of our clock than this is clock skew (or a bad `touch`), not a
 * holder's heartbeat: left alone it would never turn stale and would block every refresh.
 */
export const FUTURE_MTIME_TOLERANCE_IN_MS = 2_000;

/** What a lock file looks like right now. */
export interface LockInspection {
  state: 'free' | 'held' | 'stale';
  /** time since the lock's mtime (0 when the mtime is in the future) */
  ageInMs?: number;
  staleReason?: LockStaleReason;
  /** the recorded owner (locks taken by this package) */
  owner?: LockOwner;
}

async function isDanglingSymlink(lockPath: string): Promise<boolean> {
  try {
    return (await lstat(lockPath)).isSymbolicLink();
  } catch {
    return false;
  }
}

async function readLockOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    return parseLockContent(await readFile(lockPath, 'utf8')).owner;
  } catch {
    return undefined;
  }
}

/**
 * Reports whether a qwen-code lock file is free, held, or stale: mtime older than the staleness
 * window (35 s by default, qwen-code 0.24's rule), mtime in the future, a dangling symlink, or a
 * recorded owner that is a dead process of this host.
 */
export async function inspectLock({
  lockPath,
  now = Date.now,
  staleAfterInMs = DEFAULT_LOCK_STALE_AFTER_IN_MS,
}: {
  lockPath: string;
  /** wall clock compared with the file's mtime (default Date.now) */
  now?: () => number;
  staleAfterInMs?: number;
}): Promise<LockInspection> {
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(lockPath)).mtimeMs;
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') {
      // stat follows links: a link to nothing looks missing, yet `wx` create fails on it
      return (await isDanglingSymlink(lockPath))
        ? { state: 'stale', staleReason: 'dangling-symlink' }
        : { state: 'free' };
    }
    throw error;
  }
  const rawAgeInMs = now() - mtimeMs;
  const ageInMs = Math.max(0, rawAgeInMs);
  const owner = await readLockOwner(lockPath);
  const described = { ageInMs, ...(owner === undefined ? {} : { owner }) };
  if (rawAgeInMs < -FUTURE_MTIME_TOLERANCE_IN_MS) {
    return { state: 'stale', staleReason: 'future-mtime', ...described };
  }
  if (rawAgeInMs > staleAfterInMs) return { state: 'stale', staleReason: 'expired', ...described };
  if (owner !== undefined && owner.hostname === hostname() && !isProcessAlive(owner.pid)) {
    return { state: 'stale', staleReason: 'dead-owner', ...described };
  }
  return { state: 'held', ...described };
}
