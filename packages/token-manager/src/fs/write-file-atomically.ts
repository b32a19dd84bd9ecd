import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isErrnoException } from './is-errno-exception';

/**
 * Writes `content` to `path` the way qwen-code does: a sibling temp file
 * `<path>.<12 hex>.tmp` written and fsynced, forced to `mode`, then renamed over the target,
 * so readers see either the old or the new file, never half of one. The directory is created
 * with mode 0700. On EXDEV (rename across devices) it falls back to a direct write.
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
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tempPath = `${path}.${randomBytes(6).toString('hex')}.tmp`;
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
    await rename(tempPath, path);
  } catch (error) {
    await unlink(tempPath).catch(() => undefined);
    if (isErrnoException(error) && error.code === 'EXDEV') {
      await writeFile(path, content, { encoding: 'utf8', mode });
      return;
    }
    throw error;
  }
}
