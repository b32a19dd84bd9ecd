import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import type { CommandResult, ServiceEnvironment } from './service-environment';

function runCommand({
  file,
  args,
}: {
  file: string;
  args: readonly string[];
}): Promise<CommandResult | undefined> {
  return new Promise((resolve) => {
    execFile(file, [...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return resolve(undefined);
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The real machine: this process's platform, home, node binary and CLI script. */
export function createServiceEnvironment(): ServiceEnvironment {
  const script = process.argv[1] ?? '';
  let cliPath = script;
  try {
    // a global npm install starts the CLI through a symlink in bin/; the service needs the target
    cliPath = realpathSync(script);
  } catch {
    // keep the path as given
  }
  return {
    platform: process.platform,
    homeDir: homedir(),
    userId: userInfo().uid,
    nodePath: process.execPath,
    cliPath,
    cwd: process.cwd(),
    runCommand,
  };
}
