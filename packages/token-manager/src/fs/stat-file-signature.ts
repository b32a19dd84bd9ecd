import { stat } from 'node:fs/promises';
import { isErrnoException } from './is-errno-exception';

/** What identifies one version of a file without reading it. */
export interface FileSignature {
  /** `mtimeMs:size:ino`: an atomic rename changes the inode even within one mtime tick */
  key: string;
  mtimeMs: number;
}

/** Cheap change detection: one stat; undefined when the file does not exist. */
export async function statFileSignature(path: string): Promise<FileSignature | undefined> {
  try {
    const stats = await stat(path);
    return { key: `${stats.mtimeMs}:${stats.size}:${stats.ino}`, mtimeMs: stats.mtimeMs };
  } catch (error) {
    if (isErrnoException(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) {
      return undefined;
    }
    throw error;
  }
}
