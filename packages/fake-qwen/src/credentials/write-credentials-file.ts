import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IssuedCredentials } from '../types';

/** `oauth_creds.json`, or `oauth_creds_<name>.json` for a named account. */
export function getCredentialsFileName(accountName?: string): string {
  return accountName === undefined || accountName === 'default'
    ? 'oauth_creds.json'
    : `oauth_creds_${accountName}.json`;
}

/** Writes credentials as qwen-code does: dir 0700, pretty JSON, atomic rename, file 0600. */
export async function writeQwenCredentialsFile({
  dir,
  accountName,
  credentials,
}: {
  dir: string;
  accountName?: string;
  credentials: IssuedCredentials;
}): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, getCredentialsFileName(accountName));
  const temporaryPath = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporaryPath, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // forced even when the umask would leave it wider
  await chmod(temporaryPath, 0o600);
  await rename(temporaryPath, path);
  return path;
}
