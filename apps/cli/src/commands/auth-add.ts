import { parseAccountName } from '../accounts/parse-account-name';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import { type AuthLoginOptions, runAuthLogin } from './auth-login';
import type { CommandContext } from './command-context';

/** `qwen-relay auth add NAME`: log a new named account in (`oauth_creds_<name>.json`). */
export async function runAuthAdd({
  name,
  ...rest
}: CommandContext & Omit<AuthLoginOptions, 'account' | 'requireNewAccount'> & { name: string }) {
  const accountId = parseAccountName(name);
  if (accountId === 'default') {
    throw new CliError({
      code: 'QWEN_RELAY_CLI_USAGE',
      message: '"default" is the name of qwen-code’s own file, not a new account.',
      hint: 'Use `qwen-relay auth login` for it, or pick another name.',
      exitCode: EXIT_CODES.usage,
    });
  }
  return runAuthLogin({ ...rest, account: accountId, requireNewAccount: true });
}
