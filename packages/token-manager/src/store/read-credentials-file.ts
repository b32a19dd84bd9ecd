import { readFile } from 'node:fs/promises';
import { CorruptCredentialsError } from '../errors/corrupt-credentials-error';
import { NoCredentialsError } from '../errors/no-credentials-error';
import { isErrnoException } from '../fs/is-errno-exception';
import type { QwenCredentials } from '../types';
import { safeParseCredentials } from './parse-credentials';

/** Reads and validates a credentials file; throws NoCredentialsError or CorruptCredentialsError. */
export async function readCredentialsFile(
  path: string,
  { accountId }: { accountId?: string } = {},
): Promise<QwenCredentials> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') {
      throw new NoCredentialsError({ credentialsPath: path, ...(accountId ? { accountId } : {}) });
    }
    const problem = isErrnoException(error)
      ? `cannot be read (${error.code ?? 'I/O error'})`
      : 'cannot be read';
    throw new CorruptCredentialsError({
      credentialsPath: path,
      problem,
      ...(accountId ? { accountId } : {}),
    });
  }
  const result = safeParseCredentials(text);
  if (!result.success) {
    throw new CorruptCredentialsError({
      credentialsPath: path,
      problem: result.problem,
      ...(accountId ? { accountId } : {}),
    });
  }
  return result.credentials;
}
