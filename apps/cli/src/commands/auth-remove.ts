import { getCredentialsPath, getLockPath } from '@qwen-relay/token-manager';
import { acquireFileLock } from '@qwen-relay/token-manager/internal';
import { fileExists } from '../accounts/file-exists';
import { moveToBackup } from '../accounts/move-to-backup';
import { parseAccountName, resolveAccountId } from '../accounts/parse-account-name';
import { readLockOptions } from '../accounts/read-lock-options';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import { requireConfirmation } from '../prompts/require-confirmation';
import type { CommandContext } from './command-context';

/**
 * Moves an account's credentials file to a backup (`<file>.bak-<timestamp>`) after asking.
 * Never deletes: the printed `mv` command undoes it. `missingIsError` distinguishes
 * `auth remove NAME` (a typo should fail) from `auth logout` (already logged out is fine).
 */
async function forgetAccount({
  accountId,
  yes,
  missingIsError,
  question,
  ...context
}: CommandContext & {
  accountId: string;
  yes: boolean;
  missingIsError: boolean;
  question: string;
}) {
  const credentialsPath = getCredentialsPath({ qwenDir: context.qwenDir, accountId });
  if (!(await fileExists(credentialsPath))) {
    if (missingIsError) {
      throw new CliError({
        code: 'QWEN_RELAY_CLI_ACCOUNT_NOT_FOUND',
        message: `There is no account "${accountId}" (no ${credentialsPath}).`,
        hint: 'See the existing accounts with `qwen-relay auth list`.',
      });
    }
    context.stdout.write(
      `Account "${accountId}" has no credentials (${credentialsPath}); nothing to do.\n`,
    );
    return EXIT_CODES.ok;
  }
  await requireConfirmation({ context, question, yes });
  /*
   * Move under the account's qwen-code lock: a refresh in another process (proxy, qwen-code)
   * writes the file only while holding it, so the move cannot interleave with a refresh and
   * the backup is the latest complete file.
   */
  const lock = await acquireFileLock({
    lockPath: getLockPath({ credentialsPath }),
    ...readLockOptions(context.env),
    ...(context.signal === undefined ? {} : { signal: context.signal }),
  });
  let backupPath: string;
  try {
    backupPath = await moveToBackup({ path: credentialsPath, nowInMs: context.now() });
  } finally {
    await lock.release();
  }
  context.stdout.write(
    `${context.colors.green('✓')} Moved ${credentialsPath}\n    to ${backupPath}\n` +
      `    To undo: mv '${backupPath}' '${credentialsPath}'\n`,
  );
  return EXIT_CODES.ok;
}

/** `qwen-relay auth remove NAME`: forget a named account, keeping its file as a backup. */
export async function runAuthRemove({
  name,
  yes = false,
  ...context
}: CommandContext & { name: string; yes?: boolean }): Promise<number> {
  const accountId = parseAccountName(name);
  return forgetAccount({
    ...context,
    accountId,
    yes,
    missingIsError: true,
    question: `Remove account "${accountId}"? Its credentials file is moved to a backup, not deleted.`,
  });
}

/** `qwen-relay auth logout`: forget an account's login (default: qwen-code's file), keeping a backup. */
export async function runAuthLogout({
  account,
  yes = false,
  ...context
}: CommandContext & { account?: string; yes?: boolean }): Promise<number> {
  const accountId = resolveAccountId(account);
  return forgetAccount({
    ...context,
    accountId,
    yes,
    missingIsError: false,
    question: `Log out of "${accountId}"? Its credentials file is moved to a backup, not deleted.`,
  });
}
