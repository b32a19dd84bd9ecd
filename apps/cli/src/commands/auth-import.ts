import {
  getCredentialsPath,
  readCredentialsFile,
  saveCredentials,
} from '@qwen-relay/token-manager';
import { fileExists } from '../accounts/file-exists';
import { DEFAULT_ACCOUNT_ID, parseAccountName } from '../accounts/parse-account-name';
import { readLockOptions } from '../accounts/read-lock-options';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import type { CommandContext } from './command-context';

/** Why two copies of one login are a problem, said once for `auth import` and `doctor`. */
export const ROTATING_REFRESH_TOKEN_WARNING =
  'Qwen refresh tokens rotate: whichever copy refreshes first gets a new refresh token and the ' +
  'other copy’s stops working, so the two copies will log each other out.';

/**
 * `qwen-relay auth import NAME`: copies qwen-code's login (`oauth_creds.json`, or `--from`)
 * into a named account, validating it first and writing atomically with mode 0600, and
 * warns that the two copies now share one rotating refresh token.
 */
export async function runAuthImport({
  name,
  from,
  ...context
}: CommandContext & { name: string; from?: string }): Promise<number> {
  const accountId = parseAccountName(name);
  if (accountId === DEFAULT_ACCOUNT_ID) {
    throw new CliError({
      code: 'QWEN_RELAY_CLI_USAGE',
      message: 'Import into a named account, not "default".',
      hint: 'For example: `qwen-relay auth import work`.',
      exitCode: EXIT_CODES.usage,
    });
  }
  const sourcePath =
    from ?? getCredentialsPath({ qwenDir: context.qwenDir, accountId: DEFAULT_ACCOUNT_ID });
  const destinationPath = getCredentialsPath({ qwenDir: context.qwenDir, accountId });
  if (await fileExists(destinationPath)) {
    throw new CliError({
      code: 'QWEN_RELAY_CLI_ACCOUNT_EXISTS',
      message: `Account "${accountId}" already exists (${destinationPath}).`,
      hint: `Pick another name, or first run \`qwen-relay auth remove ${accountId}\` (it keeps a backup).`,
    });
  }
  // validates the source (NoCredentialsError / CorruptCredentialsError say what is wrong)
  const credentials = await readCredentialsFile(sourcePath);
  const savedPath = await saveCredentials({
    qwenDir: context.qwenDir,
    accountId,
    credentials,
    lock: readLockOptions(context.env),
  });
  const { colors } = context;
  context.stdout.write(
    `${colors.green('✓')} Imported ${sourcePath}\n    as account "${accountId}" (${savedPath}).\n`,
  );
  context.stderr.write(
    `${colors.yellow('Warning:')} ${sourcePath} and ${savedPath} now hold the same login. ` +
      `${ROTATING_REFRESH_TOKEN_WARNING}\n` +
      `    Keep only one: if qwen-relay is the only user of this login, move the original away with ` +
      `\`qwen-relay auth logout\` (it keeps a backup). Better, give each program its own login with ` +
      `\`qwen-relay auth login --account ${accountId}\`.\n`,
  );
  return EXIT_CODES.ok;
}
