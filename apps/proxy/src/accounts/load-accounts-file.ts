import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AccountConfig } from './account-config';
import { AccountsFileError } from './accounts-file-error';
import { parseAccountsFile } from './parse-accounts-file';

/** A loaded accounts file: its accounts and what start-up should warn about. */
export interface LoadedAccountsFile {
  path: string;
  accounts: AccountConfig[];
  /** e.g. the file is readable by other users */
  warnings: string[];
}

/** `~/.qwen-relay/accounts.json`: used when it exists and QWEN_RELAY_ACCOUNTS is not set. */
export function getDefaultAccountsPath(): string {
  return join(homedir(), '.qwen-relay', 'accounts.json');
}

/** QWEN_RELAY_ACCOUNTS (with `~` expanded), else the default path. */
export function resolveAccountsPath(configured: string | undefined): {
  path: string;
  explicit: boolean;
} {
  const value = configured?.trim();
  if (value === undefined || value === '')
    return { path: getDefaultAccountsPath(), explicit: false };
  return { path: resolve(value.replace(/^~(?=$|[/\\])/, homedir())), explicit: true };
}

/**
 * Reads and validates the accounts file. A missing default file means "no file" (undefined);
 * a missing file that QWEN_RELAY_ACCOUNTS names, an unreadable or an invalid one throws
 * AccountsFileError. The file is never written here.
 */
export function loadAccountsFile({
  configuredPath,
  env,
  qwenDir,
}: {
  configuredPath: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  qwenDir: string;
}): LoadedAccountsFile | undefined {
  const { path, explicit } = resolveAccountsPath(configuredPath);
  let text: string;
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // the default file is used "when it exists": one this user cannot even see (a home
    // directory of another user, e.g. after dropping privileges) does not exist for it
    if ((code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR') && !explicit) {
      return undefined;
    }
    throw new AccountsFileError({
      path,
      problem:
        code === 'ENOENT'
          ? 'no such file (QWEN_RELAY_ACCOUNTS names it). Create it with `qwen-relay keys add`.'
          : `cannot read it (${code ?? (error as Error).message}).`,
    });
  }
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AccountsFileError({
      path,
      problem:
        code === 'ENOENT'
          ? 'no such file (QWEN_RELAY_ACCOUNTS names it). Create it with `qwen-relay keys add`.'
          : `cannot read it (${code ?? (error as Error).message}).`,
    });
  }
  const accounts = parseAccountsFile({ text, path, env, qwenDir });
  const warnings: string[] = [];
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    warnings.push(
      `The accounts file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}) and may hold keys: run chmod 600 ${path}`,
    );
  }
  return { path, accounts, warnings };
}
