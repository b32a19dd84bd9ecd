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
 * Places a copy of `path` at `destination` without ever replacing an existing file: a hard
 * link where the file system allows it (atomic, no data copied), else an exclusive copy.
 * Throws EEXIST when `destination` is taken.
 */
async function placeWithoutClobbering({
  path,
  destination,
}: {
  path: string;
  destination: string;
}) {
  try {
    await link(path, destination);
  } catch (error) {
    if (isErrorCode(error, 'EEXIST') || isErrorCode(error, 'ENOENT')) throw error;
    // some file systems refuse hard links; an exclusive copy keeps the no-clobber promise
    await copyFile(path, destination, fsConstants.COPYFILE_EXCL);
  }
}

/**
 * Moves a credentials file to `<path>.bak-<timestamp>` (plus `-2`, `-3`… if taken) and
 * returns the backup's path. The content is never lost: the backup exists, complete, before
 * the original name is removed, and an earlier backup is never overwritten.
 */
export async function moveToBackup({
  path,
  nowInMs,
}: {
  path: string;
  nowInMs: number;
}): Promise<string> {
  const base = `${path}.bak-${formatBackupTimestamp(nowInMs)}`;
  for (let suffix = 1; suffix < 1000; suffix += 1) {
    const destination = suffix === 1 ? base : `${base}-${suffix}`;
    try {
      await placeWithoutClobbering({ path, destination });
    } catch (error) {
      if (isErrorCode(error, 'EEXIST')) continue;
      throw error;
    }
    await unlink(path);
    return destination;
  }
  throw new Error(`Too many backups of ${path} at the same second.`);
}
