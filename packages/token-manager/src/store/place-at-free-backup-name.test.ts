import { describe, expect, it } from 'vitest';
import { formatBackupTimestamp, placeAtFreeBackupName } from './place-at-free-backup-name';

describe('formatBackupTimestamp', () => {
  it('is compact UTC without separators or milliseconds', () => {
    expect(formatBackupTimestamp(Date.UTC(2026, 10, 22, 2, 6, 21, 345))).toBe('20261122T020621Z');
  });
});

describe('placeAtFreeBackupName', () => {
  const nowInMs = Date.UTC(2026, 10, 22, 2, 6, 21);

  it('takes the next free suffix while a backup of the same second exists', async () => {
    const taken = new Set(['/q/oauth_creds.json.bak-20261122T020621Z']);
    const tried: string[] = [];
    const name = await placeAtFreeBackupName({
      path: '/q/oauth_creds.json',
      nowInMs,
      place: async (destination) => {
        tried.push(destination);
        if (taken.has(destination)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
      },
    });
    expect(name).toBe('/q/oauth_creds.json.bak-20261122T020621Z-2');
    expect(tried).toEqual([
      '/q/oauth_creds.json.bak-20261122T020621Z',
      '/q/oauth_creds.json.bak-20261122T020621Z-2',
    ]);
  });

  it('passes on any other failure of place', async () => {
    await expect(
      placeAtFreeBackupName({
        path: '/q/oauth_creds.json',
        nowInMs,
        place: async () => {
          throw Object.assign(new Error('read-only'), { code: 'EROFS' });
        },
      }),
    ).rejects.toThrow('read-only');
  });
});
