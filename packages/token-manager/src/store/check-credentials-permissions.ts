import { stat } from 'node:fs/promises';

/** The permission bits of one existing credentials path, and what is wrong with them if anything. */
export interface CredentialsPermissionInspection {
  path: string;
  kind: 'file' | 'directory';
  /** permission bits, e.g. 0o644 */
  mode: number;
  /** what is wrong, in words (absent when the mode is private enough) */
  problem?: string;
  /** the command that fixes it (present with `problem`) */
  fix?: string;
}

/** A credentials file or directory other users can read or change. */
export interface CredentialsPermissionProblem extends CredentialsPermissionInspection {
  problem: string;
  fix: string;
}

/** Options of {@link inspectCredentialsPermissions} and {@link checkCredentialsPermissions}. */
export interface CredentialsPermissionOptions {
  qwenDir: string;
  credentialsPaths: readonly string[];
  platform?: NodeJS.Platform;
}

const formatMode = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/**
 * Reads the mode of the credentials directory and of each credentials file, and judges it:
 * a file with any group/other bit (e.g. 0644) lets others read the tokens, a directory others
 * can write (e.g. 0777) lets anyone replace the file, the lock or a symlink. Follows symlinks
 * (the target's mode is what protects the tokens). Missing paths are left out; Windows has no
 * such modes (nothing is returned).
 */
export async function inspectCredentialsPermissions({
  qwenDir,
  credentialsPaths,
  platform = process.platform,
}: CredentialsPermissionOptions): Promise<CredentialsPermissionInspection[]> {
  if (platform === 'win32') return [];
  const inspections: CredentialsPermissionInspection[] = [];
  const modeOf = async (path: string) => (await stat(path).catch(() => undefined))?.mode;
  const directoryMode = await modeOf(qwenDir);
  if (directoryMode !== undefined) {
    inspections.push({
      path: qwenDir,
      kind: 'directory',
      mode: directoryMode & 0o777,
      ...((directoryMode & 0o022) === 0
        ? {}
        : {
            problem: `has mode ${formatMode(directoryMode)}: other users can replace the credentials and the lock in it`,
            fix: `chmod 700 '${qwenDir}'`,
          }),
    });
  }
  for (const path of credentialsPaths) {
    const mode = await modeOf(path);
    if (mode === undefined) continue;
    inspections.push({
      path,
      kind: 'file',
      mode: mode & 0o777,
      ...((mode & 0o077) === 0
        ? {}
        : {
            problem: `has mode ${formatMode(mode)}: other users can read the tokens in it`,
            fix: `chmod 600 '${path}'`,
          }),
    });
  }
  return inspections;
}

/**
 * The inspections of {@link inspectCredentialsPermissions} that found a problem: credentials
 * other users can read and directories others can write.
 */
export async function checkCredentialsPermissions(
  options: CredentialsPermissionOptions,
): Promise<CredentialsPermissionProblem[]> {
  return (await inspectCredentialsPermissions(options)).filter(
    (inspection): inspection is CredentialsPermissionProblem => inspection.problem !== undefined,
  );
}
