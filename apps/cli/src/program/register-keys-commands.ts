import type { Command } from 'commander';
import { runKeysAdd } from '../commands/keys-add';
import { runKeysList } from '../commands/keys-list';
import { runKeysRemove } from '../commands/keys-remove';
import { runKeysTest } from '../commands/keys-test';
import { type createActionFactory, formatExamples } from './create-action';

type Action = ReturnType<typeof createActionFactory>;

interface KeysAddFlags {
  type?: string;
  region?: string;
  id?: string;
  baseUrl?: string;
  workspace?: string;
  check: boolean;
}

/** `qwen-relay keys …`: add, list, test and remove Model Studio keys in the accounts file. */
export function registerKeysCommands({ program, action }: { program: Command; action: Action }) {
  const keys = program
    .command('keys')
    .description(
      'manage Alibaba Model Studio keys (Coding Plan, Token Plan, pay-as-you-go) in the accounts file',
    )
    .addHelpText(
      'after',
      formatExamples([
        ['qwen-relay keys add', 'paste a key (hidden); its type follows from its prefix'],
        ['qwen-relay keys list', 'every key account, keys masked'],
        ['qwen-relay keys test', 'one cheap call per key'],
      ]),
    );

  keys
    .command('add')
    .description(
      'add a key: checks its prefix and makes one cheap call with it, then saves it (mode 0600)',
    )
    .option(
      '--type <type>',
      'coding-plan, token-plan or standard (default: coding-plan for sk-sp- keys, else standard)',
    )
    .option('--region <region>', 'intl (default), cn, us, hk or a region id')
    .option('--id <id>', 'account id (default: cp-1, tp-1, std-1 …)')
    .option('--base-url <url>', 'OpenAI-compatible base URL instead of the plan host')
    .option('--workspace <id>', 'standard keys: use the workspace host')
    .option('--no-check', 'save without the test call')
    .addHelpText(
      'after',
      `${formatExamples([
        ['qwen-relay keys add --type coding-plan', 'paste the sk-sp- key when asked (not echoed)'],
        ['printf %s "$KEY" | qwen-relay keys add --region cn', 'the key from stdin (scripts)'],
      ])}
The accounts file is QWEN_RELAY_ACCOUNTS, default ~/.qwen-relay/accounts.json.
`,
    )
    .action(
      action<KeysAddFlags>(({ context, options }) =>
        runKeysAdd({
          ...context,
          ...(options.type === undefined ? {} : { type: options.type }),
          ...(options.region === undefined ? {} : { region: options.region }),
          ...(options.id === undefined ? {} : { id: options.id }),
          ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
          ...(options.workspace === undefined ? {} : { workspace: options.workspace }),
          check: options.check,
        }),
      ),
    );

  keys
    .command('list')
    .description('list key accounts: masked key, type, region, models and state')
    .option('--json', 'machine-readable output')
    .action(
      action<{ json?: boolean }>(({ context, options }) => runKeysList({ ...context, ...options })),
    );

  keys
    .command('test')
    .argument('[id]', 'only this account')
    .description('make one cheap upstream call with each key (exit 1 when one is refused)')
    .action(
      action(({ context, operands }) =>
        runKeysTest({ ...context, ...(operands[0] === undefined ? {} : { id: operands[0] }) }),
      ),
    );

  keys
    .command('remove')
    .argument('<id>', 'account id')
    .description('remove a key account from the accounts file')
    .action(
      action(({ context, operands }) => runKeysRemove({ ...context, id: operands[0] ?? '' })),
    );
}
