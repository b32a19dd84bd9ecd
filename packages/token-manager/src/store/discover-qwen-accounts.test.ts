import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/create-temp-dir';
import { discoverQwenAccounts } from './discover-qwen-accounts';

describe('discoverQwenAccounts', () => {
  const temp = useTempDir();

  it('finds the default and named accounts, default first, ignoring temp and lock files', async () => {
    for (const name of [
      'oauth_creds_work.json',
      'oauth_creds.json',
      'oauth_creds_alt.json',
      'oauth_creds.json.0123456789ab.tmp',
      'oauth_creds.lock',
      'oauth_creds_default.json',
      'settings.json',
    ]) {
      await writeFile(join(temp.dir, name), '{}');
    }
    const accounts = await discoverQwenAccounts({ qwenDir: temp.dir });
    expect(accounts).toEqual([
      {
        accountId: 'default',
        credentialsPath: join(temp.dir, 'oauth_creds.json'),
        lockPath: join(temp.dir, 'oauth_creds.lock'),
      },
      {
        accountId: 'alt',
        credentialsPath: join(temp.dir, 'oauth_creds_alt.json'),
        lockPath: join(temp.dir, 'oauth_creds_alt.lock'),
      },
      {
        accountId: 'work',
        credentialsPath: join(temp.dir, 'oauth_creds_work.json'),
        lockPath: join(temp.dir, 'oauth_creds_work.lock'),
      },
    ]);
  });

  it('returns no accounts for a missing directory', async () => {
    expect(await discoverQwenAccounts({ qwenDir: join(temp.dir, 'absent') })).toEqual([]);
  });
});
