import { type Command, Option } from 'commander';
import { runAuthAdd } from '../commands/auth-add';
import { runAuthList } from '../commands/auth-list';
import { runAuthLogin } from '../commands/auth-login';
import { runAuthRefresh } from '../commands/auth-refresh';
import { runAuthStatus } from '../commands/auth-status';
import type { CliIo } from './cli-io';
import { type createActionFactory, formatExamples } from './create-action';
import {
  ACCOUNT_FLAG,
  ACCOUNT_HELP,
  registerAccountFileCommands,
} from './register-account-file-commands';

type Action = ReturnType<typeof createActionFactory>;

/** The device-code poll interval for tests: hidden flag, or QWEN_RELAY_POLL_INTERVAL_MS. */
function readPollIntervalInMs({ flag, env }: { flag: string | undefined; env: NodeJS.ProcessEnv }) {
  const value = Number(flag ?? env.QWEN_RELAY_POLL_INTERVAL_MS);
  return Number.isFinite(value) && value > 0 ? { pollIntervalInMs: value } : {};
}

function addLoginOptions(command: Command): Command {
  return command
    .option('--no-browser', 'print the address and code only; do not open a browser')
    .addOption(
      new Option('--poll-interval-ms <ms>', 'device-code poll interval (tests)').hideHelp(),
    );
}

/** `qwen-relay auth …`: login, status, refresh, list, add, remove, import, logout. */
export function registerAuthCommands({
  program,
  action,
}: {
  program: Command;
  action: Action;
  io: CliIo;
}) {
  const auth = program
    .command('auth')
    .description('log in, inspect and manage Qwen OAuth accounts')
    .addHelpText(
      'after',
      formatExamples([
        ['qwen-relay auth login', 'log in with the device flow (browser + code)'],
        ['qwen-relay auth status', 'show every account and whether it is usable'],
        ['qwen-relay auth add work', 'log in a second, named account'],
      ]),
    );

  type LoginFlags = { account?: string; browser: boolean; pollIntervalMs?: string };
  addLoginOptions(auth.command('login'))
    .description('log in to Qwen with the OAuth device flow and save the credentials')
    .option(ACCOUNT_FLAG, ACCOUNT_HELP)
    .addHelpText(
      'after',
      formatExamples([
        ['qwen-relay auth login', 'log in the default account (~/.qwen/oauth_creds.json)'],
        [
          'qwen-relay auth login --account work --no-browser',
          'log in "work", printing the address only (SSH)',
        ],
      ]),
    )
    .action(
      action<LoginFlags>(({ context, options }) =>
        runAuthLogin({
          ...context,
          ...(options.account === undefined ? {} : { account: options.account }),
          browser: options.browser,
          ...readPollIntervalInMs({ flag: options.pollIntervalMs, env: context.env }),
        }),
      ),
    );

  auth
    .command('status')
    .description('show each account: source, state, expiry, endpoint and lock')
    .option(ACCOUNT_FLAG, 'only this account')
    .option('--json', 'machine-readable output')
    .option(
      '--proxy-url <url>',
      'a running proxy to ask for credentials it holds only in memory (default http://127.0.0.1:PORT or 8080)',
    )
    .addHelpText(
      'after',
      `${formatExamples([
        ['qwen-relay auth status', 'every account, human-readable'],
        ['qwen-relay auth status --account work --json', 'one account as JSON'],
        [
          'qwen-relay auth status >/dev/null || echo "log in again"',
          'use the exit code in a script',
        ],
      ])}
Exit codes: 0 every account usable, 3 an access token expired (run auth refresh),
4 an account needs a login (missing or rejected), 5 a credentials file is corrupt,
6 credentials at risk (a running proxy could not save them, or the directory is not writable).
`,
    )
    .action(
      action<{ account?: string; json?: boolean; proxyUrl?: string }>(({ context, options }) =>
        runAuthStatus({ ...context, ...options }),
      ),
    );

  auth
    .command('refresh')
    .description('refresh the access token now (same lock and single flight as the proxy)')
    .option(ACCOUNT_FLAG, ACCOUNT_HELP)
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      formatExamples([
        ['qwen-relay auth refresh', 'refresh the default account, print old and new expiry'],
        ['qwen-relay auth refresh --account work', 'refresh the "work" account'],
      ]),
    )
    .action(
      action<{ account?: string; json?: boolean }>(({ context, options }) =>
        runAuthRefresh({ ...context, ...options }),
      ),
    );

  auth
    .command('list')
    .description('list the accounts that have credentials')
    .option('--json', 'machine-readable output')
    .addHelpText('after', formatExamples([['qwen-relay auth list', 'one line per account']]))
    .action(
      action<{ json?: boolean }>(({ context, options }) => runAuthList({ ...context, ...options })),
    );

  addLoginOptions(auth.command('add').argument('<name>', 'account name'))
    .description('log in a new named account (oauth_creds_<name>.json)')
    .addHelpText(
      'after',
      formatExamples([['qwen-relay auth add work', 'device login saved as oauth_creds_work.json']]),
    )
    .action(
      action<LoginFlags>(({ context, options, operands }) =>
        runAuthAdd({
          ...context,
          name: operands[0] ?? '',
          browser: options.browser,
          ...readPollIntervalInMs({ flag: options.pollIntervalMs, env: context.env }),
        }),
      ),
    );

  registerAccountFileCommands({ auth, action });
}
