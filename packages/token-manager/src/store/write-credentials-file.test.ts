import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/create-temp-dir';
import type { QwenCredentials } from '../types';
import { writeCredentialsFile } from './write-credentials-file';

const credentials: QwenCredentials = {
  expiry_date: 1_776_000_000_000,
  resource_url: 'portal.qwen.ai',
  refresh_token: 'qrt_new',
  token_type: 'Bearer',
  access_token: 'qat_new',
};

describe('writeCredentialsFile', () => {
  const temp = useTempDir();

  it('creates the directory 0700 and the file 0600 in qwen-code refresh key order', async () => {
    const path = join(temp.dir, 'nested', '.qwen', 'oauth_creds.json');
    await writeCredentialsFile({ path, credentials });
    expect((await stat(join(temp.dir, 'nested', '.qwen'))).mode & 0o777).toBe(0o700);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const text = await readFile(path, 'utf8');
    expect(Object.keys(JSON.parse(text))).toEqual([
      'access_token',
      'token_type',
      'refresh_token',
      'resource_url',
      'expiry_date',
    ]);
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2));
  });

  it('preserves unknown fields already in the file and forces 0600 on a permissive file', async () => {
    const path = join(temp.dir, 'oauth_creds.json');
    await writeFile(
      path,
      JSON.stringify({
        access_token: 'qat_old',
        _proxy_metadata: { tier: 'x' },
        last_refresh: 'y',
      }),
      { mode: 0o644 },
    );
    await writeCredentialsFile({ path, credentials });
    const written = JSON.parse(await readFile(path, 'utf8'));
    expect(written).toEqual({ ...credentials, _proxy_metadata: { tier: 'x' }, last_refresh: 'y' });
    expect(Object.keys(written).slice(-2)).toEqual(['_proxy_metadata', 'last_refresh']);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('replaces the file by rename (new inode) and leaves no temp files behind', async () => {
    const path = join(temp.dir, 'oauth_creds.json');
    await writeCredentialsFile({ path, credentials });
    const firstInode = (await stat(path)).ino;
    await writeCredentialsFile({ path, credentials: { ...credentials, access_token: 'qat_2' } });
    expect((await stat(path)).ino).not.toBe(firstInode);
    expect(await readdir(temp.dir)).toEqual(['oauth_creds.json']);
  });

  it('never lets a concurrent reader see a half-written file', async () => {
    const path = join(temp.dir, 'oauth_creds.json');
    const padding = 'x'.repeat(64 * 1024);
    await writeCredentialsFile({ path, credentials: { ...credentials, padding } });
    let writing = true;
    const writes = (async () => {
      for (let round = 0; round < 30; round += 1) {
        await writeCredentialsFile({
          path,
          credentials: { ...credentials, access_token: `qat_${round}`, padding },
        });
      }
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const parsed = JSON.parse(await readFile(path, 'utf8'));
      expect(parsed.padding).toBe(padding);
      reads += 1;
    }
    await writes;
    expect(reads).toBeGreaterThan(0);
  });

  it('writes through a symlink to its target and keeps the link (temp file beside the target)', async () => {
    const dotfiles = join(temp.dir, 'dotfiles');
    const qwenDir = join(temp.dir, '.qwen');
    await mkdir(dotfiles);
    await mkdir(qwenDir);
    const target = join(dotfiles, 'qwen-creds.json');
    await writeFile(target, JSON.stringify({ ...credentials, access_token: 'qat_old', extra: 1 }));
    const link = join(qwenDir, 'oauth_creds.json');
    await symlink('../dotfiles/qwen-creds.json', link);

    await writeCredentialsFile({ path: link, credentials });

    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('../dotfiles/qwen-creds.json');
    const written = JSON.parse(await readFile(target, 'utf8'));
    expect(written).toMatchObject({ access_token: 'qat_new', refresh_token: 'qrt_new', extra: 1 });
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(await readdir(qwenDir)).toEqual(['oauth_creds.json']);
    expect(await readdir(dotfiles)).toEqual(['qwen-creds.json']);
  });

  it('creates the target of a dangling symlink instead of replacing the link', async () => {
    const link = join(temp.dir, 'oauth_creds.json');
    await symlink('shared/creds.json', link);
    await writeCredentialsFile({ path: link, credentials });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(join(temp.dir, 'shared', 'creds.json'), 'utf8'))).toEqual(
      credentials,
    );
  });
});
