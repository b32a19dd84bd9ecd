import {
  readAccountsDocument,
  resolveAccountsPath,
  writeAccountsDocument,
} from '@qwen-relay/proxy';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import type { CommandContext } from './command-context';

/** `qwen-relay keys remove <id>`: drops the entry from the accounts file (other entries kept as written). */
export async function runKeysRemove({
  id,
  ...context
}: CommandContext & { id: string }): Promise<number> {
  const { path } = resolveAccountsPath(context.env.QWEN_RELAY_ACCOUNTS);
  const document = await readAccountsDocument({ path });
  const kept = document.accounts.filter((entry) => entry.id !== id);
  if (kept.length === document.accounts.length) {
    throw new CliError({
      code: 'QWEN_RELAY_CLI_ACCOUNT_NOT_FOUND',
      message: `The accounts file ${path} has no account "${id}".`,
      hint: 'See them with: qwen-relay keys list',
      exitCode: EXIT_CODES.usage,
    });
  }
  await writeAccountsDocument({ path, document: { ...document, accounts: kept } });
  context.stdout.write(`Removed ${id} from ${path}\n`);
  return EXIT_CODES.ok;
}
