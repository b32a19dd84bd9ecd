import type { Command } from 'commander';
import { runClusterImport, runClusterStatus } from '../commands/cluster';
import { type createActionFactory, formatExamples } from './create-action';

/** `qwen-relay cluster import | status` (cluster mode on Redis, REDIS_URL). */
export function registerClusterCommands({
  program,
  action,
}: {
  program: Command;
  action: ReturnType<typeof createActionFactory>;
}) {
  const cluster = program
    .command('cluster')
    .description('cluster mode on Redis (REDIS_URL): share accounts between proxy replicas');
  cluster
    .command('import')
    .description('copy this machine’s accounts (accounts file, OAuth files) into the cluster')
    .option('--yes', 'do not ask (never asked without a terminal)')
    .addHelpText(
      'after',
      formatExamples([
        [
          'REDIS_URL=redis://10.0.0.5:6379/0 qwen-relay cluster import',
          'after `auth login` or `keys add`',
        ],
      ]),
    )
    .action(
      action<{ yes?: boolean }>(({ context, options }) =>
        runClusterImport({ ...context, yes: options.yes === true }),
      ),
    );
  cluster
    .command('status')
    .description('replicas, accounts, refresh leases and plan windows of the cluster')
    .option('--json', 'machine-readable output')
    .action(
      action<{ json?: boolean }>(({ context, options }) =>
        runClusterStatus({ ...context, json: options.json === true }),
      ),
    );
}
