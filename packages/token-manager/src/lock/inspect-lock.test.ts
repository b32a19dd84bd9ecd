import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/create-temp-dir';
import { inspectLock } from './inspect-lock';

describe('inspectLock', () => {
  const temp = useTempDir();

  it('reports free, held and stale (older than 10 s)', async () => {
    const lockPath = join(temp.dir, 'oauth_creds.lock');
    expect(await inspectLock({ lockPath })).toEqual({ state: 'free' });
    await writeFile(lockPath, 'id');
    const mtime = new Date(1_700_000_000_000);
    await utimes(lockPath, mtime, mtime);
    expect(await inspectLock({ lockPath, now: () => 1_700_000_004_000 })).toEqual({
      state: 'held',
      ageInMs: 4_000,
    });
    expect(await inspectLock({ lockPath, now: () => 1_700_000_011_000 })).toEqual({
      state: 'stale',
      ageInMs: 11_000,
    });
  });
});
