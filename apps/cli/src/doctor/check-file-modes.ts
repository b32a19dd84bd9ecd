import { stat } from 'node:fs/promises';
import { createDoctorCheck, type DoctorCheck } from './doctor-check';

const formatMode = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/**
 * Credentials must be private: files 0600 and their directory 0700 (what qwen-code and
 * token-manager write). Anything readable by group or others is reported with a chmod.
 */
export async function checkFileModes({
  qwenDir,
  credentialsPaths,
  platform = process.platform,
}: {
  qwenDir: string;
  credentialsPaths: readonly string[];
  platform?: NodeJS.Platform;
}): Promise<DoctorCheck[]> {
  if (platform === 'win32') {
    return [
      createDoctorCheck({
        id: 'file-mode',
        status: 'skip',
        message: 'file modes are not checked on Windows',
      }),
    ];
  }
  const checks: DoctorCheck[] = [];
  const inspect = async ({ path, expected }: { path: string; expected: number }) => {
    let mode: number;
    try {
      mode = (await stat(path)).mode;
    } catch {
      return; // missing files are reported by the credentials check
    }
    if ((mode & 0o077) === 0) {
      checks.push(
        createDoctorCheck({
          id: 'file-mode',
          status: 'ok',
          message: `${path} has mode ${formatMode(mode)}`,
        }),
      );
      return;
    }
    checks.push(
      createDoctorCheck({
        id: 'file-mode',
        status: 'warn',
        message: `${path} has mode ${formatMode(mode)}: other users can read it`,
        fix: `run \`chmod ${expected.toString(8)} '${path}'\``,
      }),
    );
  };
  await inspect({ path: qwenDir, expected: 0o700 });
  for (const path of credentialsPaths) await inspect({ path, expected: 0o600 });
  return checks;
}
