import { mkdir, readdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/create-temp-dir';
import { recoverInterruptedWrite } from './recover-interrupted-write';
import { serializeCredentials } from './write-credentials-file';

const oldPair = {
  access_token: 'qat_old',
  token_type: 'Bearer',
  refresh_token: 'qrt_old',
  expiry_date: 1_776_000_000_000,
};
const newPair = { ...oldPair, access_token: 'qat_new', refresh_token: 'qrt_new' };

async function setTime(path: string, atInMs: number): Promise<void> {
  await utimes(path, new Date(atInMs), new Date(atInMs));
}

describe('recoverInterruptedWrite', () => {
  const temp = useTempDir();

  it('adopts a newer temp file that parses, keeping the old file as a backup', async () => {
    const path = join(temp.dir, 'oauth_creds.json');
    const tempPath = `${path}.0123456789ab.tmp`;
    await writeFile(path, serializeCredentials(oldPair));
    await writeFile(tempPath, serializeCredentials(newPair));
    await setTime(path, 1_700_000_000_000);
    await setTime(tempPath, 1_700_000_005_000);

    const recovery = await recoverInterruptedWrite({
      credentialsPath: path,
      nowInMs: Date.UTC(2026, 11, 1, 5, 0, 0),
    });

    expect(recovery).toEqual({
      credentialsPath: path,
      tempPath,
      backupPath: `${path}.bak-20261201T050000Z`,
    });
    expect(JSON.parse(await readFile(path, 'utf8')).refresh_token).toBe('qrt_new');
    expect(JSON.parse(await readFile(`${path}.bak-20261201T050000Z`, 'utf8')).refresh_token).toBe(
      'qrt_old',
    );
    expect((await readdir(temp.dir)).sort()).toEqual([
      'oauth_creds.json',
      'oauth_creds.json.bak-20261201T050000Z',
    ]);
  });

  it('leaves alone a temp file that is older, does not parse, or has no file to replace', async () => {
    const path = join(temp.dir, 'oauth_creds.json');
    const olderTemp = `${path}.aaaaaaaaaaaa.tmp`;
    const partialTemp = `${path}.bbbbbbbbbbbb.tmp`;
    await writeFile(path, serializeCredentials(oldPair));
    await writeFile(olderTemp, serializeCredentials(newPair));
    await writeFile(partialTemp, '{"access_token":"qat_half');
    await setTime(olderTemp, 1_700_000_000_000);
    await setTime(path, 1_700_000_005_000);
    await setTime(partialTemp, 1_700_000_009_000);
    expect(await recoverInterruptedWrite({ credentialsPath: path })).toBeUndefined();
    expect(JSON.parse(await readFile(path, 'utf8')).refresh_token).toBe('qrt_old');
    expect((await readdir(temp.dir)).length).toBe(3);

    // a logout moved the file away: a leftover temp file does not log the account back in
    const loggedOut = join(temp.dir, 'oauth_creds_work.json');
    await writeFile(`${loggedOut}.cccccccccccc.tmp`, serializeCredentials(newPair));
    expect(await recoverInterruptedWrite({ credentialsPath: loggedOut })).toBeUndefined();
  });

  it('recovers beside the target of a symlinked credentials file and keeps the link', async () => {
    const shared = join(temp.dir, 'shared');
    await mkdir(shared);
    const target = join(shared, 'creds.json');
    const link = join(temp.dir, 'oauth_creds.json');
    await writeFile(target, serializeCredentials(oldPair));
    await symlink(target, link);
    await writeFile(`${target}.0123456789ab.tmp`, serializeCredentials(newPair));
    await setTime(target, 1_700_000_000_000);

    const recovery = await recoverInterruptedWrite({ credentialsPath: link });

    expect(recovery?.credentialsPath).toBe(target);
    expect(JSON.parse(await readFile(link, 'utf8')).refresh_token).toBe('qrt_new');
    expect((await readdir(temp.dir)).sort()).toEqual(['oauth_creds.json', 'shared']);
  });
});
