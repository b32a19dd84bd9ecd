import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './helpers/create-test-io';
import { useFakeQwenEnvironment } from './helpers/use-fake-qwen-environment';

describe('auth list / remove / logout / import', () => {
  const setup = useFakeQwenEnvironment();

  const run = (args: string[], options: { interactive?: boolean; answer?: boolean } = {}) =>
    runInProcess({
      args,
      env: { QWEN_DIR: setup.dir, QWEN_OAUTH_BASE_URL: setup.fake.url },
      ...options,
    });
  const backupsOf = async (name: string) =>
    (await readdir(setup.dir)).filter((entry) => entry.startsWith(`${name}.bak-`));

  it('list: one line per account, and --json', async () => {
    expect((await run(['auth', 'list'])).stdout).toContain(`No accounts in ${setup.dir} yet.`);
    // 10 s under the hour: "59 min" however soon the list runs (a full hour left shows "1 h",
    // which a fast machine got when the list ran within the millisecond of the write)
    await setup.fake.writeCredentialsFile({ dir: setup.dir, expiresInSeconds: 3_590 });
    await setup.fake.writeCredentialsFile({
      dir: setup.dir,
      accountName: 'work',
      expiresInSeconds: 3_590,
    });
    const { code, stdout } = await run(['auth', 'list']);
    expect(code).toBe(0);
    expect(stdout.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^✓ default {2}valid, expires in 59 min {2}.*oauth_creds\.json$/),
      expect.stringMatching(/^✓ work {5}valid, expires in 59 min {2}.*oauth_creds_work\.json$/),
    ]);
    const json = JSON.parse((await run(['auth', 'list', '--json'])).stdout);
    expect(json.accounts.map((account: { accountId: string }) => account.accountId)).toEqual([
      'default',
      'work',
    ]);
  });

  it('remove --yes moves the file to a backup, never deletes it', async () => {
    const path = await setup.fake.writeCredentialsFile({ dir: setup.dir, accountName: 'work' });
    const content = await readFile(path, 'utf8');
    const { code, stdout } = await run(['auth', 'remove', 'work', '--yes']);
    expect(code).toBe(0);
    const [backup] = await backupsOf('oauth_creds_work.json');
    expect(backup).toMatch(/^oauth_creds_work\.json\.bak-\d{8}T\d{6}Z$/);
    expect(await readFile(join(setup.dir, backup ?? ''), 'utf8')).toBe(content);
    expect((await stat(join(setup.dir, backup ?? ''))).mode & 0o777).toBe(0o600);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(stdout).toContain(`To undo: mv '${join(setup.dir, backup ?? '')}' '${path}'`);
    // the account lock was taken for the move and released
    await expect(stat(join(setup.dir, 'oauth_creds_work.lock'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('remove without --yes: refuses without a terminal, asks on one', async () => {
    const path = await setup.fake.writeCredentialsFile({ dir: setup.dir, accountName: 'work' });
    const refused = await run(['auth', 'remove', 'work']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'Error: This needs a confirmation, and there is no terminal to ask on.\nAdd --yes to confirm.\n',
    );
    await stat(path);

    const declined = await run(['auth', 'remove', 'work'], { interactive: true, answer: false });
    expect(declined.code).toBe(1);
    expect(declined.questions).toEqual([
      'Remove account "work"? Its credentials file is moved to a backup, not deleted.',
    ]);
    expect(declined.stderr).toContain('Cancelled; nothing changed.');
    await stat(path);
    expect(await backupsOf('oauth_creds_work.json')).toEqual([]);

    const accepted = await run(['auth', 'remove', 'work'], { interactive: true, answer: true });
    expect(accepted.code).toBe(0);
    expect(await backupsOf('oauth_creds_work.json')).toHaveLength(1);
  });

  it('remove of an unknown account fails and points to auth list', async () => {
    const { code, stderr } = await run(['auth', 'remove', 'nobody', '--yes']);
    expect(code).toBe(1);
    expect(stderr).toContain('There is no account "nobody"');
    expect(stderr).toContain('`qwen-relay auth list`');
  });

  it('logout keeps a backup of the default file; twice is harmless', async () => {
    const path = await setup.fake.writeCredentialsFile({ dir: setup.dir });
    const content = await readFile(path, 'utf8');
    expect((await run(['auth', 'logout', '--yes'])).code).toBe(0);
    const [backup] = await backupsOf('oauth_creds.json');
    expect(await readFile(join(setup.dir, backup ?? ''), 'utf8')).toBe(content);
    const again = await run(['auth', 'logout', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('has no credentials');
    expect(await backupsOf('oauth_creds.json')).toHaveLength(1);
  });

  it('import copies the default login into a named account and warns about rotation', async () => {
    const credentials = setup.fake.issueCredentials();
    await setup.fake.writeCredentialsFile({ dir: setup.dir, credentials });
    const { code, stdout, stderr } = await run(['auth', 'import', 'work']);
    expect(code).toBe(0);
    const imported = JSON.parse(await readFile(join(setup.dir, 'oauth_creds_work.json'), 'utf8'));
    expect(imported).toMatchObject(credentials);
    expect((await stat(join(setup.dir, 'oauth_creds_work.json'))).mode & 0o777).toBe(0o600);
    expect(stdout).toContain('as account "work"');
    expect(stderr).toMatch(
      /^Warning: .* now hold the same login\. Qwen refresh tokens rotate: .* log each other out\./,
    );
    expect(stderr).toContain('`qwen-relay auth login --account work`');
    expect(stdout + stderr).not.toContain(credentials.refresh_token);

    const again = await run(['auth', 'import', 'work']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Account "work" already exists');
  });

  it('import: a missing or corrupt source is reported and nothing is written', async () => {
    const missing = await run(['auth', 'import', 'work']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: .*oauth_creds\.json/);
    const corruptPath = join(setup.dir, 'half-written.json');
    await writeFile(corruptPath, '{"access_token": "a", "refresh');
    const corrupt = await run(['auth', 'import', 'work', '--from', corruptPath]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain('Move the file aside');
    expect(await readdir(setup.dir)).toEqual(['half-written.json']);
  });
});
