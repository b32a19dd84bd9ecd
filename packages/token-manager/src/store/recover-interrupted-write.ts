import { constants as fsConstants } from 'node:fs';
import { copyFile, link, readdir, readFile, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isErrnoException } from '../fs/is-errno-exception';
import { resolveWriteTarget } from '../fs/resolve-write-target';
import { safeParseCredentials } from './parse-credentials';
import { placeAtFreeBackupName } from './place-at-free-backup-name';

/** What a recovery did: which temp file became the credentials file, and where the old one went. */
export interface InterruptedWriteRecovery {
  /** the credentials file that now holds the temp file's content (a symlink's target) */
  credentialsPath: string;
  /** the temp file that was adopted (it no longer exists under that name) */
  tempPath: string;
  /** the previous credentials file, kept */
  backupPath: string;
}

interface Candidate {
  tempPath: string;
  mtimeMs: number;
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Keeps `path` as `<path>.bak-<timestamp>[-n]`: a hard link (atomic), or an exclusive copy. */
function keepBackup({ path, nowInMs }: { path: string; nowInMs: number }): Promise<string> {
  return placeAtFreeBackupName({
    path,
    nowInMs,
    place: (destination) =>
      link(path, destination).catch(async (error: unknown) => {
        if (isErrnoException(error) && error.code === 'EEXIST') throw error;
        await copyFile(path, destination, fsConstants.COPYFILE_EXCL);
      }),
  });
}

/**
 * The newest leftover temp file of an atomic write (`<file>.<12 hex>.tmp`, beside the real
 * file when it is a symlink) that parses as credentials and is newer than the file itself.
 * A writer renames its temp file right after fsync, so such a file means the writer died in
 * between: it holds the pair the token endpoint issued, and the file the now dead
 * predecessor. Nothing when the credentials file is missing (a logout is not undone).
 */
export async function findInterruptedWrite({
  credentialsPath,
}: {
  credentialsPath: string;
}): Promise<Candidate | undefined> {
  const targetPath = await resolveWriteTarget(credentialsPath);
  const directory = dirname(targetPath);
  const pattern = new RegExp(`^${escapeForPattern(basename(targetPath))}\\.[0-9a-f]{12}\\.tmp$`);
  let entries: string[];
  let mainMtimeMs: number;
  try {
    entries = (await readdir(directory)).filter((entry) => pattern.test(entry));
    if (entries.length === 0) return undefined;
    mainMtimeMs = (await stat(targetPath)).mtimeMs;
  } catch {
    return undefined;
  }
  let newest: Candidate | undefined;
  for (const entry of entries) {
    const tempPath = join(directory, entry);
    try {
      const { mtimeMs } = await stat(tempPath);
      if (mtimeMs <= mainMtimeMs || (newest && mtimeMs <= newest.mtimeMs)) continue;
      // a writer killed before its fsync leaves a partial file: not evidence of anything
      if (!safeParseCredentials(await readFile(tempPath, 'utf8')).success) continue;
      newest = { tempPath, mtimeMs };
    } catch {
      // vanished or unreadable: not ours to judge
    }
  }
  return newest;
}

/**
 * Adopts an interrupted write (see {@link findInterruptedWrite}): the current file is kept as
 * `<file>.bak-<timestamp>`, then the temp file is renamed over it. Nothing is deleted. Call it
 * only while holding the account's lock, so no live writer is between its fsync and rename.
 */
export async function recoverInterruptedWrite({
  credentialsPath,
  nowInMs = Date.now(),
}: {
  credentialsPath: string;
  nowInMs?: number;
}): Promise<InterruptedWriteRecovery | undefined> {
  const candidate = await findInterruptedWrite({ credentialsPath });
  if (!candidate) return undefined;
  const targetPath = await resolveWriteTarget(credentialsPath);
  const backupPath = await keepBackup({ path: targetPath, nowInMs });
  await rename(candidate.tempPath, targetPath);
  return { credentialsPath: targetPath, tempPath: candidate.tempPath, backupPath };
}
