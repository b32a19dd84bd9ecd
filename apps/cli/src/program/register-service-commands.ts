import type { Command } from 'commander';
import { runServiceInstall } from '../commands/service-install';
import { runServiceStatus } from '../commands/service-status';
import { runServiceUninstall } from '../commands/service-uninstall';
import { type createActionFactory, formatExamples } from './create-action';

/** `qwen-relay service install | uninstall | status`: run the proxy as a per-user service. */
export function registerServiceCommands({
  program,
  action,
}: {
  program: Command;
  action: ReturnType<typeof createActionFactory>;
}) {
  const service = program
    .command('service')
    .description('run the proxy all day: a systemd user unit (Linux) or a launchd agent (macOS)');
  service
    .command('install')
    .description('install and start `qwen-relay serve` as a service with the current settings')
    .argument('[flags...]', 'proxy flags to run with, as for serve (e.g. --port 9000)')
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText(
      'after',
      formatExamples([
        ['qwen-relay service install', 'settings from the environment and ./.env'],
        ['qwen-relay service install --port 9000 --proxy-api-keys k1', 'with explicit flags'],
      ]),
    )
    .action(
      action<Record<string, never>>(({ context, command }) =>
        runServiceInstall({ ...context, proxyArguments: command.args }),
      ),
    );
  service
    .command('uninstall')
    .description('stop the service and remove its unit or agent (the settings file stays)')
    .action(action<Record<string, never>>(({ context }) => runServiceUninstall(context)));
  service
    .command('status')
    .description('is the service installed, running and ready? (exit code 0 when ready)')
    .action(action<Record<string, never>>(({ context }) => runServiceStatus(context)));
}
