import type { Command } from 'commander';
import { runAuthImport } from '../commands/auth-import';
import { runAuthLogout, runAuthRemove } from '../commands/auth-remove';
import { type createActionFactory, formatExamples } from './create-action';

/** The `--account` flag, shared by the auth commands. */
export const ACCOUNT_FLAG = '--account <name>';
/** Its help text. */
export const ACCOUNT_HELP =
  'named account (oauth_creds_<name>.json) instead of the default oauth_creds.json';

/** `auth remove`, `auth import`, `auth logout`: the commands that move or copy credentials files. */
export function registerAccountFileCommands({
  auth,
  action,
}: {
  auth: Command;
  action: ReturnType<typeof createActionFactory>;
}) {
  auth
    .command('remove')
    .argument('<name>', 'account name')
    .description('forget a named account (its file is moved to a backup, never deleted)')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      formatExamples([
        ['qwen-relay auth remove work --yes', 'move oauth_creds_work.json to a .bak-<time> file'],
      ]),
    )
    .action(
      action<{ yes?: boolean }>(({ context, options, operands }) =>
        runAuthRemove({ ...context, name: operands[0] ?? '', yes: options.yes === true }),
      ),
    );

  auth
    .command('import')
    .argument('<name>', 'name of the new account')
    .description('copy the qwen-code login (oauth_creds.json) into a named account')
    .option('--from <file>', 'credentials file to import (default: <qwen-dir>/oauth_creds.json)')
    .addHelpText(
      'after',
      `${formatExamples([['qwen-relay auth import work', 'copy oauth_creds.json to oauth_creds_work.json']])}
Two copies of one login log each other out (refresh tokens rotate): keep only one.
`,
    )
    .action(
      action<{ from?: string }>(({ context, options, operands }) =>
        runAuthImport({ ...context, name: operands[0] ?? '', ...options }),
      ),
    );

  auth
    .command('logout')
    .description('forget an account’s login (the file is moved to a backup, never deleted)')
    .option(ACCOUNT_FLAG, ACCOUNT_HELP)
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      formatExamples([
        ['qwen-relay auth logout', 'move oauth_creds.json to a backup after asking'],
        ['qwen-relay auth logout --account work --yes', 'same for "work", without asking'],
      ]),
    )
    .action(
      action<{ account?: string; yes?: boolean }>(({ context, options }) =>
        runAuthLogout({
          ...context,
          ...(options.account === undefined ? {} : { account: options.account }),
          yes: options.yes === true,
        }),
      ),
    );
}
