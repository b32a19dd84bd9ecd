import { constants as fsConstants } from 'node:fs';
import { copyFile, link, unlink } from 'node:fs/promises';
import { placeAtFreeBackupName } from '@qwen-relay/token-manager/internal';

function isErrorCode(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | null)?.code === code;
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
