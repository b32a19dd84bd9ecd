import { mkdir } from 'node:fs/promises';
import { acquireFileLock } from '../lock/acquire-file-lock';
import type { FileLockOptions } from '../lock/lock-options';
import type { QwenCredentials } from '../types';
import { getCredentialsPath, getLockPath } from './qwen-paths';
import { writeCredentialsFile } from './write-credentials-file';

/**
 * Stores credentials (typically from the device flow) for an account: under the account's
 * qwen-code lock, atomically, 0600. Returns the credentials path.
 */
export async function saveCredentials({
  qwenDir,
  accountId,
  credentials,
  lock,
  signal,
}: {
  qwenDir: string;
  accountId: string;
  credentials: QwenCredentials;
  lock?: FileLockOptions;
  signal?: AbortSignal;
}): Promise<string> {
  const credentialsPath = getCredentialsPath({ qwenDir, accountId });
  // the lock lives in the directory, so it has to exist first (0700 like qwen-code)
  await mkdir(qwenDir, { recursive: true, mode: 0o700 });
  const fileLock = await acquireFileLock({
    lockPath: getLockPath({ credentialsPath }),
    ...(signal ? { signal } : {}),
    ...lock,
  });
  try {
    await writeCredentialsFile({ path: credentialsPath, credentials });
  } finally {
    await fileLock.release();
  }
  return credentialsPath;
}
