import { stat } from 'node:fs/promises';

/** A credentials file or directory other users can read or change. */
export interface CredentialsPermissionProblem {
  path: string;
  kind: 'file' | 'directory';
  /** permission bits, e.g. 0o644 */
  mode: number;
  /** what is wrong, in words */
  problem: string;
  /** the command that fixes it */
  fix: string;
}

const formatMode = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/**
 * Finds credentials other users can read (a file with any group/other bit, e.g. 0644) and
 * directories others can write (e.g. 0777: anyone may replace the file, the lock or a symlink).
 * Follows symlinks (the target's mode is what protects the tokens). Missing paths are skipped;
 * Windows has no such modes.
 */
export async function checkCredentialsPermissions({
  qwenDir,
  credentialsPaths,
  platform = process.platform,
}: {
  qwenDir: string;
  credentialsPaths: readonly string[];
  platform?: NodeJS.Platform;
}): Promise<CredentialsPermissionProblem[]> {
  if (platform === 'win32') return [];
  const problems: CredentialsPermissionProblem[] = [];
  const modeOf = async (path: string) => (await stat(path).catch(() => undefined))?.mode;
  const directoryMode = await modeOf(qwenDir);
  if (directoryMode !== undefined && (directoryMode & 0o022) !== 0) {
    problems.push({
      path: qwenDir,
      kind: 'directory',
      mode: directoryMode & 0o777,
      problem: `has mode ${formatMode(directoryMode)}: other users can replace the credentials and the lock in it`,
      fix: `chmod 700 '${qwenDir}'`,
    });
  }
  for (const path of credentialsPaths) {
    const mode = await modeOf(path);
    if (mode === undefined || (mode & 0o077) === 0) continue;
    problems.push({
      path,
      kind: 'file',
      mode: mode & 0o777,
      problem: `has mode ${formatMode(mode)}: other users can read the tokens in it`,
      fix: `chmod 600 '${path}'`,
    });
  }
  return problems;
}
