import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Account names become file names, so they are restricted to a safe alphabet. */
const ACCOUNT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The qwen directory: `QWEN_DIR`, else `~/.qwen` (qwen-code falls back to the temp dir without a home). */
export function resolveQwenDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.QWEN_DIR?.trim();
  if (fromEnv) {
    return fromEnv === '~' || fromEnv.startsWith('~/')
      ? join(homedir(), fromEnv.slice(1))
      : fromEnv;
  }
  return join(homedir() || tmpdir(), '.qwen');
}

/** Is this a valid account id ('default' or a file-name-safe name)? */
export function isValidAccountId(accountId: string): boolean {
  return ACCOUNT_NAME_PATTERN.test(accountId);
}

/** `<qwenDir>/oauth_creds.json` for 'default', `<qwenDir>/oauth_creds_<name>.json` otherwise. */
export function getCredentialsPath({
  qwenDir,
  accountId,
}: {
  qwenDir: string;
  accountId: string;
}): string {
  if (accountId === 'default') return join(qwenDir, 'oauth_creds.json');
  if (!isValidAccountId(accountId)) {
    throw new TypeError(
      `Invalid account name '${accountId}': use letters, digits, '.', '_' or '-' (max 64).`,
    );
  }
  return join(qwenDir, `oauth_creds_${accountId}.json`);
}

/** The qwen-code lock beside a credentials file: `oauth_creds.json` → `oauth_creds.lock`. */
export function getLockPath({ credentialsPath }: { credentialsPath: string }): string {
  return credentialsPath.endsWith('.json')
    ? `${credentialsPath.slice(0, -'.json'.length)}.lock`
    : `${credentialsPath}.lock`;
}
