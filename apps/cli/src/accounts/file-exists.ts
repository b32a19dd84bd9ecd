import { access } from 'node:fs/promises';

/** Does a file exist at `path` (any type, readable or not)? */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
