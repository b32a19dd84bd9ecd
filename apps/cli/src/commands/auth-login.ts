import { getCredentialsPath, getLockPath, saveCredentials } from '@qwen-relay/token-manager';
import { fileExists } from '../accounts/file-exists';
import { inspectOAuthAccount } from '../accounts/inspect-oauth-account';
import { copyToBackup } from '../accounts/move-to-backup';
import { formatAccountFlag, resolveAccountId } from '../accounts/parse-account-name';
import { readLockOptions } from '../accounts/read-lock-options';
import { attachAccountId } from '../errors/attach-account-id';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import { authorizeDevice } from '../login/authorize-device';
import { openBrowserQuietly } from '../login/open-browser-quietly';
import { renderAccountReport } from '../output/render-account-report';
import type { CommandContext } from './command-context';

/** Options of {@link runAuthLogin}. */
export interface AuthLoginOptions {
  account?: string;
  /** try to open the browser (default true; `--no-browser` prints only) */
  browser?: boolean;
  /** `auth add`: refuse when the account already has credentials */
  requireNewAccount?: boolean;
  /** first device-code poll interval, for tests (QWEN_RELAY_POLL_INTERVAL_MS) */
  pollIntervalInMs?: number;
  openBrowser?: (url: string) => Promise<boolean>;
}

/**
 * `qwen-relay auth login`: device authorization with PKCE through token-manager. Nothing is
 * written until the server has issued tokens; then a previous file is copied to a backup and
 * the new one replaces it atomically under the account's lock (token-manager's
 * saveCredentials), so an interruption leaves either the old file or the new one.
 */
export async function runAuthLogin({
  account,
  browser = true,
  requireNewAccount = false,
  pollIntervalInMs,
  openBrowser = openBrowserQuietly,
  ...context
}: CommandContext & AuthLoginOptions): Promise<number> {
  const accountId = resolveAccountId(account);
  const credentialsPath = getCredentialsPath({ qwenDir: context.qwenDir, accountId });
  if (requireNewAccount && (await fileExists(credentialsPath))) {
    throw new CliError({
      code: 'QWEN_RELAY_CLI_ACCOUNT_EXISTS',
      message: `Account "${accountId}" already exists (${credentialsPath}).`,
      hint: `To log it in again, run \`qwen-relay auth login${formatAccountFlag(accountId)}\`.`,
    });
  }
  let savedPath: string;
  let backupPath: string | undefined;
  try {
    const credentials = await authorizeDevice({ context, browser, openBrowser, pollIntervalInMs });
    backupPath = await copyToBackup({ path: credentialsPath, nowInMs: context.now() });
    savedPath = await saveCredentials({
      qwenDir: context.qwenDir,
      accountId,
      credentials,
      lock: readLockOptions(context.env),
    });
  } catch (error) {
    throw attachAccountId({ error, accountId });
  }
  context.stdout.write(`Logged in. Credentials saved to ${savedPath} (mode 0600).\n`);
  if (backupPath !== undefined)
    context.stdout.write(`The previous credentials were kept in ${backupPath}.\n`);
  const report = await inspectOAuthAccount({
    accountId,
    credentialsPath,
    lockPath: getLockPath({ credentialsPath }),
    oauthBaseUrl: context.oauthBaseUrl,
    now: context.now,
    env: context.env,
  });
  context.stdout.write(
    `\n${renderAccountReport({ report, colors: context.colors, nowInMs: context.now() })}`,
  );
  return EXIT_CODES.ok;
}
