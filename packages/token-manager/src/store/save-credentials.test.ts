import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isQwenRelayError } from '@qwen-relay/contracts';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/create-temp-dir';
import type { QwenCredentials } from '../types';
import { saveCredentials } from './save-credentials';

const credentials: QwenCredentials = {
  access_token: 'qat_saved',
  refresh_token: 'qrt_saved',
  token_type: 'Bearer',
  resource_url: 'portal.qwen.ai',
  expiry_date: 1_776_000_000_000,
};

describe('saveCredentials', () => {
  const temp = useTempDir();

  it('writes the account file and leaves no lock behind', async () => {
    const path = await saveCredentials({ qwenDir: temp.dir, accountId: 'default', credentials });
    expect(path).toBe(join(temp.dir, 'oauth_creds.json'));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(credentials);
  });

  it('writes only under the account lock (a held lock blocks it)', async () => {
    await writeFile(join(temp.dir, 'oauth_creds_work.lock'), 'refreshing-process');
    const error = await saveCredentials({
      qwenDir: temp.dir,
      accountId: 'work',
      credentials,
      lock: { maxAttempts: 2, initialDelayInMs: 1 },
    }).catch((caught: unknown) => caught);
    expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_LOCK_TIMEOUT');
    await expect(readFile(join(temp.dir, 'oauth_creds_work.json'))).rejects.toThrow(/ENOENT/);
  });
});
