import { constants as fsConstants } from 'node:fs';
import { copyFile, link, unlink } from 'node:fs/promises';

/** `20261122T020621Z`: a timestamp that sorts, and is safe in file names on every system. */
export function formatBackupTimestamp(atInMs: number): string {
  return new Date(atInMs)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function isErrorCode(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}

/**
 * Calls `place(destination)` with `<path>.bak-<timestamp>`, then `-2`, `-3`… while `place`
 * fails with EEXIST, so an earlier backup is never overwritten. Returns the name used.
 */
async function placeAtFreeBackupName({
  path,
  nowInMs,
  place,
}: {
  path: string;
  nowInMs: number;
  place: (destination: string) => Promise<void>;
}): Promise<string> {
  const base = `${path}.bak-${formatBackupTimestamp(nowInMs)}`;
  for (let suffix = 1; suffix < 1000; suffix += 1) {
    const destination = suffix === 1 ? base : `${base}-${suffix}`;
    try {
      await place(destination);
      return destination;
    } catch (error) {
      if (!isErrorCode(error, 'EEXIST')) throw error;
    }
  }
  throw new Error(`Too many backups of ${path} at the same second.`);
}

/**
 * Moves a credentials file to `<path>.bak-<timestamp>` and returns the backup's path. The
 * content is never lost: the backup exists, complete, before the original name is removed (a
 * hard link, atomic; an exclusive copy where links are refused).
 */
export async function moveToBackup({
  path,
  nowInMs,
}: {
  path: string;
  nowInMs: number;
}): Promise<string> {
  const destination = await placeAtFreeBackupName({
    path,
    nowInMs,
    place: async (candidate) => {
      try {
        await link(path, candidate);
      } catch (error) {
        if (isErrorCode(error, 'EEXIST') || isErrorCode(error, 'ENOENT')) throw error;
        await copyFile(path, candidate, fsConstants.COPYFILE_EXCL);
      }
    },
  });
  await unlink(path);
  return destination;
}

/**
 * Copies a credentials file to `<path>.bak-<timestamp>` before it is replaced, and returns the
 * copy's path, or undefined when there was no file. A copy rather than a hard link: a writer
 * that rewrites the file in place must not change the backup.
 */
export async function copyToBackup({ path, nowInMs }: { path: string; nowInMs: number }) {
  try {
    return await placeAtFreeBackupName({
      path,
      nowInMs,
      place: (candidate) => copyFile(path, candidate, fsConstants.COPYFILE_EXCL),
    });
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}
