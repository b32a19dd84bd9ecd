import {
  AccountsFileError,
  parseAccountsFile,
  readAccountsDocument,
  resolveAccountsPath,
  writeAccountsDocument,
} from '@qwen-relay/proxy';
import {
  checkKeyFormat,
  formatRegion,
  inferKeyAccountType,
  type KeyAccountType,
  resolveRegionId,
} from '@qwen-relay/qwen-client';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import { checkKeyUpstream } from '../keys/check-key-upstream';
import type { CommandContext } from './command-context';

const KEY_TYPES: readonly KeyAccountType[] = ['coding-plan', 'token-plan', 'standard'];
const ID_PREFIXES: Record<KeyAccountType, string> = {
  'coding-plan': 'cp',
  'token-plan': 'tp',
  standard: 'std',
};

/**
 * `qwen-relay keys add`: reads a key (hidden on a terminal, else from stdin), checks its prefix
 * against the type, makes one cheap upstream call with it, and adds it to the accounts file
 * (mode 0600). The key is never printed.
 */
export async function runKeysAdd({
  type: typeOption,
  region,
  id: idOption,
  baseUrl,
  workspace,
  check = true,
  ...context
}: CommandContext & {
  type?: string;
  region?: string;
  id?: string;
  baseUrl?: string;
  workspace?: string;
  check?: boolean;
}): Promise<number> {
  if (typeOption !== undefined && !(KEY_TYPES as readonly string[]).includes(typeOption)) {
    throw usage(
      `--type must be one of ${KEY_TYPES.join(', ')} (qwen-oauth accounts log in with \`qwen-relay auth login\`).`,
    );
  }
  const { path } = resolveAccountsPath(context.env.QWEN_RELAY_ACCOUNTS);
  // a corrupt file stops us before the key is even asked for
  const document = await readAccountsDocument({ path });
  if (context.readSecret === undefined) {
    throw usage('No way to read the key here; pipe it on stdin.');
  }
  const apiKey = (await context.readSecret({ prompt: 'Paste the key (input hidden): ' })).trim();
  if (apiKey === '') throw usage('No key was given (nothing on stdin, or an empty line).');
  const type = (typeOption as KeyAccountType | undefined) ?? inferKeyAccountType(apiKey);
  const format = checkKeyFormat({ type, apiKey });
  if (!format.ok) throw usage(format.message);

  const taken = new Set(document.accounts.map((entry) => entry.id));
  const id = idOption ?? nextFreeId({ prefix: ID_PREFIXES[type], taken });
  if (taken.has(id)) {
    throw new CliError({
      code: 'QWEN_RELAY_CLI_ACCOUNT_EXISTS',
      message: `The accounts file already has an account "${id}".`,
      hint: `Pick another --id, or remove it first: qwen-relay keys remove ${id}`,
      exitCode: EXIT_CODES.usage,
    });
  }
  const entry: Record<string, unknown> = {
    id,
    type,
    ...(region === undefined ? {} : { region }),
    ...(workspace === undefined ? {} : { workspace }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    apiKey,
  };
  const next = { ...document, accounts: [...document.accounts, entry] };
  let account: ReturnType<typeof parseAccountsFile>[number] | undefined;
  try {
    account = parseAccountsFile({
      text: JSON.stringify(next),
      path,
      env: context.env,
      qwenDir: context.qwenDir,
    }).find((candidate) => candidate.id === id);
  } catch (error) {
    if (error instanceof AccountsFileError) throw usage(error.message);
    throw error;
  }
  if (account?.endpoints === undefined) throw usage(`Could not resolve the account "${id}".`);

  const where = account.endpoints.openAIBaseUrl;
  if (check) {
    const result = await checkKeyUpstream({
      account,
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
    if (result.outcome === 'refused') {
      throw new CliError({
        code: 'QWEN_RELAY_CLI_USAGE',
        message: `${where} refused the key: ${result.message}`,
        hint: 'Nothing was saved. Check the type and region of the key (--type, --region) and copy it again.',
      });
    }
    if (result.outcome === 'unreachable') {
      throw new CliError({
        code: 'QWEN_RELAY_CLI_USAGE',
        message: `Could not check the key at ${where}: ${result.message}`,
        hint: 'Nothing was saved. Retry, or add --no-check to save it without the test call.',
      });
    }
    context.stdout.write(
      `${context.colors.green('✓')} ${where} accepted the key${result.note === undefined ? '' : ` (${result.note})`}\n`,
    );
  }
  await writeAccountsDocument({ path, document: next });
  const shownRegion = region === undefined ? '' : `, ${formatRegion(resolveRegionId(region))}`;
  context.stdout.write(`Added ${id} (${type}${shownRegion}) to ${path}\n`);
  return EXIT_CODES.ok;
}

function nextFreeId({ prefix, taken }: { prefix: string; taken: ReadonlySet<unknown> }): string {
  for (let index = 1; ; index++) {
    const candidate = `${prefix}-${index}`;
    if (!taken.has(candidate)) return candidate;
  }
}

function usage(message: string): CliError {
  return new CliError({ code: 'QWEN_RELAY_CLI_USAGE', message, exitCode: EXIT_CODES.usage });
}
