import { getCredentialsPath } from '@qwen-relay/token-manager';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';

/** The account id of qwen-code's own file, `oauth_creds.json`. */
export const DEFAULT_ACCOUNT_ID = 'default';

// a name becomes part of a file name: token-manager's path rule decides (it throws on bad names)
function isValidAccountName(name: string): boolean {
  try {
    getCredentialsPath({ qwenDir: '.', accountId: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates an account name given on the command line and returns it, or throws a usage
 * error that says which characters are allowed.
 */
export function parseAccountName(name: string): string {
  if (!isValidAccountName(name)) {
    throw new CliError({
      code: 'QWEN_RELAY_CLI_USAGE',
      message: `"${name}" is not a valid account name.`,
      hint: 'Use up to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit.',
      exitCode: EXIT_CODES.usage,
    });
  }
  return name;
}

/** The `--account` flag as given, or the default account. */
export function resolveAccountId(account: string | undefined): string {
  return account === undefined ? DEFAULT_ACCOUNT_ID : parseAccountName(account);
}

/** How an account is named in messages and in the flags of suggested commands. */
export function formatAccountFlag(accountId: string): string {
  return accountId === DEFAULT_ACCOUNT_ID ? '' : ` --account ${accountId}`;
}
