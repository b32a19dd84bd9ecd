import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrnoException } from '../fs/is-errno-exception';
import { getLockPath, isValidAccountId } from './qwen-paths';

/** One account found in the qwen directory. */
export interface DiscoveredQwenAccount {
  accountId: string;
  credentialsPath: string;
  lockPath: string;
}

const CREDENTIALS_FILE_PATTERN = /^oauth_creds(?:_(.+))?\.json$/;

/** Lists `oauth_creds.json` ('default', first) and `oauth_creds_<name>.json` accounts of a qwen dir. */
export async function discoverQwenAccounts({
  qwenDir,
}: {
  qwenDir: string;
}): Promise<DiscoveredQwenAccount[]> {
  let entries: string[];
  try {
    entries = await readdir(qwenDir);
  } catch (error) {
    if (isErrnoException(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return [];
    throw error;
  }
  const accounts: DiscoveredQwenAccount[] = [];
  for (const entry of entries) {
    const match = CREDENTIALS_FILE_PATTERN.exec(entry);
    if (!match) continue;
    const accountId = match[1] ?? 'default';
    // 'oauth_creds_default.json' would collide with the default account's id
    if (match[1] !== undefined && (accountId === 'default' || !isValidAccountId(accountId)))
      continue;
    const credentialsPath = join(qwenDir, entry);
    accounts.push({ accountId, credentialsPath, lockPath: getLockPath({ credentialsPath }) });
  }
  return accounts.sort((left, right) =>
    left.accountId === 'default'
      ? -1
      : right.accountId === 'default'
        ? 1
        : left.accountId.localeCompare(right.accountId),
  );
}
