import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyToBackup, moveToBackup } from './move-to-backup';

describe('moveToBackup', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qwen-relay-cli-backup-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('moves the file and never overwrites an earlier backup', async () => {
    const path = join(dir, 'oauth_creds_work.json');
    const nowInMs = Date.UTC(2026, 10, 22, 2, 6, 21);
    await writeFile(path, 'first');
    const first = await moveToBackup({ path, nowInMs });
    await writeFile(path, 'second');
    const second = await moveToBackup({ path, nowInMs });

    expect(first).toBe(`${path}.bak-20261122T020621Z`);
    expect(second).toBe(`${path}.bak-20261122T020621Z-2`);
    expect(await readFile(first, 'utf8')).toBe('first');
    expect(await readFile(second, 'utf8')).toBe('second');
    expect((await readdir(dir)).sort()).toEqual([
      'oauth_creds_work.json.bak-20261122T020621Z',
      'oauth_creds_work.json.bak-20261122T020621Z-2',
    ]);
  });

  it('fails without side effects when the file does not exist', async () => {
    await expect(
      moveToBackup({ path: join(dir, 'missing.json'), nowInMs: 0 }),
    ).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('copyToBackup keeps the original and returns undefined when there is nothing to copy', async () => {
    const path = join(dir, 'oauth_creds.json');
    expect(await copyToBackup({ path, nowInMs: 0 })).toBeUndefined();
    await writeFile(path, 'content');
    const backup = await copyToBackup({ path, nowInMs: 0 });
    expect(backup).toBe(`${path}.bak-19700101T000000Z`);
    expect(await readFile(path, 'utf8')).toBe('content');
    expect(await readFile(backup ?? '', 'utf8')).toBe('content');
  });
});
