import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isQwenRelayError } from '@qwen-relay/contracts';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/create-temp-dir';
import { readCredentialsFile } from './read-credentials-file';

describe('readCredentialsFile', () => {
  const temp = useTempDir();

  it('throws NoCredentialsError telling how to log in when the file is missing', async () => {
    const path = join(temp.dir, 'oauth_creds.json');
    const error = await readCredentialsFile(path).catch((caught: unknown) => caught);
    expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_NO_CREDENTIALS');
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain('qwen-relay auth login');
  });

  it('throws CorruptCredentialsError naming the path and problem but not the content', async () => {
    const path = join(temp.dir, 'oauth_creds.json');
    await writeFile(path, '{"access_token":"qat_half_written_secret","refr');
    const error = await readCredentialsFile(path, { accountId: 'default' }).catch(
      (caught: unknown) => caught,
    );
    expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_CORRUPT_CREDENTIALS');
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain('not valid JSON');
    expect((error as Error).message).not.toContain('qat_half_written_secret');
    expect(isQwenRelayError(error) && error.status).toBe(503);
  });
});
