import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountsFileError } from './accounts-file-error';
import { loadAccountsFile } from './load-accounts-file';

const text = JSON.stringify({
  accounts: [{ id: 'cp-1', type: 'coding-plan', apiKey: 'sk-sp-0123456789abcdef' }],
});

describe('loadAccountsFile', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  it.skipIf(process.platform === 'win32')(
    'warns about a file other users can read, not about a 0600 one',
    async () => {
      directory = await mkdtemp(join(tmpdir(), 'accounts-file-'));
      const path = join(directory, 'accounts.json');
      await writeFile(path, text, { mode: 0o644 });
      const loaded = loadAccountsFile({ configuredPath: path, env: {}, qwenDir: directory });
      expect(loaded?.accounts.map((account) => account.id)).toEqual(['cp-1']);
      expect(loaded?.warnings).toEqual([
        `The accounts file ${path} is readable by other users (mode 644) and may hold keys: run chmod 600 ${path}`,
      ]);
      const privatePath = join(directory, 'private.json');
      await writeFile(privatePath, text, { mode: 0o600 });
      expect(
        loadAccountsFile({ configuredPath: privatePath, env: {}, qwenDir: directory })?.warnings,
      ).toEqual([]);
    },
  );

  it('reports a named file that does not exist, and never creates one', async () => {
    directory = await mkdtemp(join(tmpdir(), 'accounts-file-'));
    const path = join(directory, 'missing.json');
    expect(() =>
      loadAccountsFile({ configuredPath: path, env: {}, qwenDir: directory as string }),
    ).toThrow(AccountsFileError);
    expect(() =>
      loadAccountsFile({ configuredPath: path, env: {}, qwenDir: directory as string }),
    ).toThrow(/no such file \(QWEN_RELAY_ACCOUNTS names it\)/);
  });

  it('treats a default file this user cannot see as absent, but a named one as an error', async () => {
    directory = await mkdtemp(join(tmpdir(), 'accounts-file-'));
    const notADirectory = join(directory, 'home-is-a-file');
    await writeFile(notADirectory, '');
    const home = process.env.HOME;
    process.env.HOME = notADirectory;
    try {
      expect(
        loadAccountsFile({ configuredPath: undefined, env: {}, qwenDir: directory }),
      ).toBeUndefined();
    } finally {
      process.env.HOME = home;
    }
    expect(() =>
      loadAccountsFile({
        configuredPath: join(notADirectory, 'accounts.json'),
        env: {},
        qwenDir: directory as string,
      }),
    ).toThrow(/cannot read it \(ENOTDIR\)/);
  });
});
