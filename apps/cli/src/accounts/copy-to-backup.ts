import { constants as fsConstants } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { formatBackupTimestamp } from './move-to-backup';

/**
 * Copies a credentials file to `<path>.bak-<timestamp>` (never replacing an existing backup)
 * before it is overwritten, and returns the copy's path, or undefined when there was no file.
 * A copy rather than a hard link: a writer that rewrites in place must not change the backup.
 */
export async function copyToBackup({ path, nowInMs }: { path: string; nowInMs: number }) {
  const base = `${path}.bak-${formatBackupTimestamp(nowInMs)}`;
  for (let suffix = 1; suffix < 1000; suffix += 1) {
    const destination = suffix === 1 ? base : `${base}-${suffix}`;
    try {
      await copyFile(path, destination, fsConstants.COPYFILE_EXCL);
      return destination;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOENT') return undefined;
      if (code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`Too many backups of ${path} at the same second.`);
}
