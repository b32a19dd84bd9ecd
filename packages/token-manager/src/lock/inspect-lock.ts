import { stat } from 'node:fs/promises';
import { isErrnoException } from '../fs/is-errno-exception';

/** What a lock file looks like right now. */
export interface LockInspection {
  state: 'free' | 'held' | 'stale';
  ageInMs?: number;
}

/** Reports whether a qwen-code lock file is free, held, or stale (mtime older than 10 s). */
export async function inspectLock({
  lockPath,
  now = Date.now,
  staleAfterInMs = 10_000,
}: {
  lockPath: string;
  /** wall clock compared with the file's mtime (default Date.now) */
  now?: () => number;
  staleAfterInMs?: number;
}): Promise<LockInspection> {
  try {
    const stats = await stat(lockPath);
    const ageInMs = Math.max(0, now() - stats.mtimeMs);
    return { state: ageInMs > staleAfterInMs ? 'stale' : 'held', ageInMs };
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return { state: 'free' };
    throw error;
  }
}
