import { symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/create-temp-dir';
import { inspectLock } from './inspect-lock';

describe('inspectLock', () => {
  const temp = useTempDir();

  it('reports free, held and stale (older than 35 s, or the configured staleness)', async () => {
    const lockPath = join(temp.dir, 'oauth_creds.lock');
    expect(await inspectLock({ lockPath })).toEqual({ state: 'free' });
    await writeFile(lockPath, 'id');
    const mtime = new Date(1_700_000_000_000);
    await utimes(lockPath, mtime, mtime);
    expect(await inspectLock({ lockPath, now: () => 1_700_000_020_000 })).toEqual({
      state: 'held',
      ageInMs: 20_000,
    });
    expect(await inspectLock({ lockPath, now: () => 1_700_000_036_000 })).toEqual({
      state: 'stale',
      staleReason: 'expired',
      ageInMs: 36_000,
    });
    expect(
      await inspectLock({ lockPath, now: () => 1_700_000_011_000, staleAfterInMs: 10_000 }),
    ).toMatchObject({ state: 'stale', staleReason: 'expired' });
    expect(await inspectLock({ lockPath, now: () => 1_699_999_000_000 })).toEqual({
      state: 'stale',
      staleReason: 'future-mtime',
      ageInMs: 0,
    });
  });

  it('reports a dangling symlink as stale', async () => {
    const lockPath = join(temp.dir, 'oauth_creds.lock');
    await symlink(join(temp.dir, 'missing'), lockPath);
    expect(await inspectLock({ lockPath })).toEqual({
      state: 'stale',
      staleReason: 'dangling-symlink',
    });
  });
});
