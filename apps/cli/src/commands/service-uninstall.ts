import { rm, stat } from 'node:fs/promises';
import { EXIT_CODES } from '../errors/exit-codes';
import { createServiceEnvironment } from '../service/create-service-environment';
import { runServiceCommands } from '../service/run-service-commands';
import type { ServiceEnvironment } from '../service/service-environment';
import { LAUNCHD_LABEL, SERVICE_NAME } from '../service/service-paths';
import type { CommandContext } from './command-context';
import { requireServicePaths } from './service-install';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * `qwen-relay service uninstall`: stops and disables the service (when systemctl / launchctl
 * exist, else prints the commands) and removes the unit or plist. The settings file stays, and
 * the message says where: it may hold keys the person still needs.
 */
export async function runServiceUninstall({
  environment = createServiceEnvironment(),
  ...context
}: CommandContext & { environment?: ServiceEnvironment }): Promise<number> {
  const paths = requireServicePaths(environment);
  const { stdout } = context;
  if (!(await exists(paths.definitionPath))) {
    stdout.write(`The qwen-relay service is not installed (no ${paths.definitionPath}).\n`);
    return EXIT_CODES.ok;
  }
  const stopCommands =
    paths.manager === 'systemd'
      ? [{ file: 'systemctl', args: ['--user', 'disable', '--now', SERVICE_NAME], mayFail: true }]
      : [
          {
            file: 'launchctl',
            args: ['bootout', `gui/${environment.userId}/${LAUNCHD_LABEL}`],
            mayFail: true,
          },
        ];
  const onRan = (commandLine: string) => stdout.write(`Ran: ${commandLine}\n`);
  const stopped = await runServiceCommands({ environment, commands: stopCommands, onRan });
  await rm(paths.definitionPath, { force: true });
  stdout.write(`Removed ${paths.definitionPath}\n`);
  if (stopped.kind === 'ran' && paths.manager === 'systemd') {
    await runServiceCommands({
      environment,
      commands: [{ file: 'systemctl', args: ['--user', 'daemon-reload'] }],
      onRan,
    });
  }
  if (stopped.kind === 'missing') {
    const stop = stopCommands[0];
    stdout.write(
      `${stopped.program} was not found here; if the service still runs, stop it with:\n  ${[stop?.file, ...(stop?.args ?? [])].join(' ')}\n`,
    );
  }
  if (await exists(paths.settingsPath)) {
    stdout.write(
      `Kept the settings in ${paths.settingsPath} (they may hold keys; delete the file if you no longer need them).\n`,
    );
  }
  return EXIT_CODES.ok;
}
