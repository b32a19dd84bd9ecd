import { access, constants as fsConstants, stat } from 'node:fs/promises';
import { isErrnoException } from './is-errno-exception';

/**
 * Mode-bit check with the effective ids. access(2) judges by the real uid, which differs from
 * the effective one only in setuid-like situations (and the test suite's privilege drop).
 */
async function checkModeBitsForEffectiveIds(directory: string): Promise<string | undefined> {
  const euid = process.geteuid?.();
  if (euid === undefined || euid === 0) return undefined;
  const stats = await stat(directory);
  const groups = new Set([process.getegid?.(), ...(process.getgroups?.() ?? [])]);
  const bits = stats.uid === euid ? 0o300 : groups.has(stats.gid) ? 0o030 : 0o003;
  return (stats.mode & bits) === bits ? undefined : 'EACCES';
}

/**
 * Can this process create files in `directory`? Resolves undefined when it can, else the errno
 * code (EACCES, EROFS, ENOENT, …). Creates nothing.
 */
export async function checkDirectoryWritable(directory: string): Promise<string | undefined> {
  try {
    await access(directory, fsConstants.W_OK | fsConstants.X_OK);
    if (process.geteuid?.() !== process.getuid?.()) {
      return await checkModeBitsForEffectiveIds(directory);
    }
    return undefined;
  } catch (error) {
    return isErrnoException(error) ? (error.code ?? 'EIO') : 'EIO';
  }
}
