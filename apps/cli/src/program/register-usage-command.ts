import type { Command } from 'commander';
import { runUsage } from '../commands/usage';
import { type createActionFactory, formatExamples } from './create-action';

/** `qwen-relay usage [--json]`. */
export function registerUsageCommand({
  program,
  action,
}: {
  program: Command;
  action: ReturnType<typeof createActionFactory>;
}) {
  program
    .command('usage')
    .description('requests and tokens per client, account and model, and plan windows as bars')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      formatExamples([
        ['qwen-relay usage', 'the table and the windows (STATE_DIR, or Redis with REDIS_URL)'],
        [
          'STATE_DIR=/srv/relay/state qwen-relay usage --json',
          'another proxy state directory, as JSON',
        ],
      ]),
    )
    .action(
      action<{ json?: boolean }>(({ context, options }) =>
        runUsage({ ...context, json: options.json === true }),
      ),
    );
}
