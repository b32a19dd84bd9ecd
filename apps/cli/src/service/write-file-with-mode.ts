import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to `path` atomically (temp file in the same directory, fsync, rename) with `mode`
 * from the first byte, creating missing parent directories with `directoryMode`. A file holding
 * keys is never readable by others, not even for a moment.
 */
export async function writeFileWithMode({
  path,
  text,
  mode,
  directoryMode = 0o700,
}: {
  path: string;
  text: string;
  mode: number;
  directoryMode?: number;
}): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: directoryMode });
  const temporaryPath = join(
    dirname(path),
    `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const handle = await open(temporaryPath, 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    // the umask may have narrowed the mode on open; set it exactly
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporaryPath, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporaryPath, path);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }
  await chmod(path, mode);
}
