import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isErrnoException } from './is-errno-exception';
import { resolveWriteTarget } from './resolve-write-target';

/**
 * Writes `content` to `path` the way qwen-code does: a sibling temp file
 * `<path>.<12 hex>.tmp` written and fsynced, forced to `mode`, then renamed over the target,
 * so readers see either the old or the new file, never half of one. The directory is created
 * with mode 0700. On EXDEV (rename across devices) it falls back to a direct write.
 *
 * When `path` is a symlink the write goes through to the link's target: the temp file is
 * created beside the target and renamed there, so the link stays a link.
 */
export async function writeFileAtomically({
  path,
  content,
  mode = 0o600,
}: {
  path: string;
  content: string;
  mode?: number;
}): Promise<void> {
  const targetPath = await resolveWriteTarget(path);
  await mkdir(dirname(targetPath), { recursive: true, mode: 0o700 });
  const tempPath = `${targetPath}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(tempPath, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
      // forced: the umask or a pre-existing permissive mode must not leak the secret
      await handle.chmod(mode);
    } finally {
      await handle.close();
    }
    await rename(tempPath, targetPath);
  } catch (error) {
    await unlink(tempPath).catch(() => undefined);
    if (isErrnoException(error) && error.code === 'EXDEV') {
      await writeFile(targetPath, content, { encoding: 'utf8', mode });
      return;
    }
    throw error;
  }
}
