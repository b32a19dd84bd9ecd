import type { ServiceEnvironment } from './service-environment';

/** What happened to the init-system commands of an install or uninstall. */
export type ServiceCommandsOutcome =
  | { kind: 'ran' }
  | { kind: 'missing'; program: string }
  | { kind: 'failed'; command: string; detail: string };

/**
 * Runs `commands` in order with the init system's program, stopping at the first failure;
 * reports `missing` when the program does not exist here (the caller prints the commands).
 * Commands marked `mayFail` (stopping a service that is not running) do not stop the sequence.
 */
export async function runServiceCommands({
  environment,
  commands,
  onRan,
}: {
  environment: ServiceEnvironment;
  commands: ReadonlyArray<{ file: string; args: readonly string[]; mayFail?: boolean }>;
  onRan: (commandLine: string) => void;
}): Promise<ServiceCommandsOutcome> {
  for (const { file, args, mayFail = false } of commands) {
    const commandLine = [file, ...args].join(' ');
    const result = await environment.runCommand({ file, args });
    if (result === undefined) return { kind: 'missing', program: file };
    if (result.code !== 0 && !mayFail) {
      return {
        kind: 'failed',
        command: commandLine,
        detail: (result.stderr || result.stdout).trim() || `exit code ${result.code}`,
      };
    }
    onRan(commandLine);
  }
  return { kind: 'ran' };
}
