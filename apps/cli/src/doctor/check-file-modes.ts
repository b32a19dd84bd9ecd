import { inspectCredentialsPermissions } from '@qwen-relay/token-manager/internal';
import { createDoctorCheck, type DoctorCheck } from './doctor-check';

/**
 * Credentials must be private: token-manager's rule (files without any group/other bit,
 * directories others cannot write) for the directory and every existing credentials file, one
 * line each; a problem is a warning with its chmod.
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
  // missing files are reported by the credentials check
  const inspections = await inspectCredentialsPermissions({ qwenDir, credentialsPaths, platform });
  return inspections.map(({ path, mode, problem, fix }) =>
    problem === undefined || fix === undefined
      ? createDoctorCheck({
          id: 'file-mode',
          status: 'ok',
          message: `${path} has mode 0${mode.toString(8)}`,
        })
      : createDoctorCheck({
          id: 'file-mode',
          status: 'warn',
          message: `${path} ${problem}`,
          fix: `run \`${fix}\``,
        }),
  );
}
