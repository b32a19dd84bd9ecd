import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from './support/create-harness';

/** Lets a test make the next credentials write fail (disk full, EACCES ...). */
const writeControl = vi.hoisted(() => ({ failNext: false }));

vi.mock('../src/store/write-credentials-file', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/store/write-credentials-file')>();
  return {
    ...original,
    writeCredentialsFile: async (options: Parameters<typeof original.writeCredentialsFile>[0]) => {
      if (writeControl.failNext) {
        writeControl.failNext = false;
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }
      return original.writeCredentialsFile(options);
    },
  };
});

describe('a refresh whose write fails', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('keeps the rotated credentials in memory and persists them before the next refresh', async () => {
    const h = await createHarness();
    harness = h;
    const before = JSON.parse(await h.readFileText());
    const manager = h.createManager({ fileCheckIntervalInMs: 60_000 });
    const first = await manager.getAccessToken();

    writeControl.failNext = true;
    const second = await manager.invalidate(first, 'unauthorized');
    expect(await h.isAccessTokenAccepted(second.accessToken)).toBe(true);
    // the disk still holds the predecessor, whose refresh token is now dead
    expect(JSON.parse(await h.readFileText()).refresh_token).toBe(before.refresh_token);
    expect(h.fake.isRefreshTokenValid(before.refresh_token)).toBe(false);

    // the next refresh writes the live credentials first and refreshes with them: no logout
    const third = await manager.invalidate(second, 'unauthorized');
    expect(await h.isAccessTokenAccepted(third.accessToken)).toBe(true);
    const onDisk = JSON.parse(await h.readFileText());
    expect(onDisk.access_token).toBe(third.accessToken);
    expect(h.fake.isRefreshTokenValid(onDisk.refresh_token)).toBe(true);
    expect(h.fake.counters.refreshSuccesses).toBe(h.fake.counters.refreshCalls);
    expect(manager.getStatus().state).toBe('ok');
  });
});
