import { lstat, readlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isErrnoException } from './is-errno-exception';

/** Linux gives up after 40 links in a path; so do we. */
const MAX_SYMLINK_HOPS = 40;

/**
 * The file a write to `path` must really replace: `path` itself, or, when it is a symlink
 * (dotfile managers, shared mounts), the file the link chain ends at, even if that does not
 * exist yet. An atomic rename onto the link would replace the link with a regular file and
 * leave its target holding the old, soon dead, refresh token.
 */
export async function resolveWriteTarget(path: string): Promise<string> {
  let current = path;
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop += 1) {
    try {
      if (!(await lstat(current)).isSymbolicLink()) return current;
    } catch (error) {
      if (isErrnoException(error) && error.code === 'ENOENT') return current;
      throw error;
    }
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error(`ELOOP: too many symbolic links, ${path}`), { code: 'ELOOP' });
}
