import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AccountsFileError } from './accounts-file-error';

/** The raw entries of an accounts file, exactly as written (unknown entries kept as they are). */
export interface AccountsDocument {
  accounts: Array<Record<string, unknown>>;
}

/**
 * Reads the accounts file for an edit: `{ accounts: [] }` when it does not exist yet. A file
 * that is not `{"accounts": [...]}` JSON throws AccountsFileError: it is reported, never
 * rewritten.
 */
export async function readAccountsDocument({ path }: { path: string }): Promise<AccountsDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { accounts: [] };
    throw new AccountsFileError({ path, problem: `cannot read it (${code ?? 'error'}).` });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new AccountsFileError({
      path,
      problem: `not valid JSON (${(error as Error).message}); fix or move it, it is never rewritten.`,
    });
  }
  const accounts = (document as { accounts?: unknown } | null)?.accounts;
  if (
    typeof document !== 'object' ||
    document === null ||
    !Array.isArray(accounts) ||
    !accounts.every((entry) => typeof entry === 'object' && entry !== null && !Array.isArray(entry))
  ) {
    throw new AccountsFileError({
      path,
      problem: 'expected {"accounts": [ {...}, ... ]}; fix or move it, it is never rewritten.',
    });
  }
  return document as AccountsDocument;
}

/**
 * Writes the accounts file atomically (sibling temp file, fsync, rename) with mode 0600 in a
 * 0700 directory: it holds keys. Readers see the old or the new file, never half of one.
 */
export async function writeAccountsDocument({
  path,
  document,
}: {
  path: string;
  document: AccountsDocument;
}): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tempPath = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(tempPath, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
      await handle.sync();
      await handle.chmod(0o600);
    } finally {
      await handle.close();
    }
    await rename(tempPath, path);
  } catch (error) {
    await unlink(tempPath).catch(() => undefined);
    throw error;
  }
}
