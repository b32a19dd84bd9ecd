import { utimes } from 'node:fs/promises';
import type { TokenManagerEvent } from '@qwen-relay/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from './support/create-harness';

/** Lets a test make the next credentials writes fail (disk full, EACCES ...). */
const writeControl = vi.hoisted(() => ({ failures: 0 }));

vi.mock('../src/store/write-credentials-file', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/store/write-credentials-file')>();
  return {
    ...original,
    writeCredentialsFile: async (options: Parameters<typeof original.writeCredentialsFile>[0]) => {
      if (writeControl.failures > 0) {
        writeControl.failures -= 1;
        throw Object.assign(
          new Error(`ENOSPC: no space left on device, open '${options.path}.0123456789ab.tmp'`),
          { code: 'ENOSPC' },
        );
      }
      return original.writeCredentialsFile(options);
    },
  };
});

function ofType<T extends TokenManagerEvent['type']>(
  events: readonly TokenManagerEvent[],
  type: T,
): Extract<TokenManagerEvent, { type: T }>[] {
  return events.filter(
    (event): event is Extract<TokenManagerEvent, { type: T }> => event.type === type,
  );
}

describe('a refresh whose write fails', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    writeControl.failures = 0;
    await harness?.close();
    harness = undefined;
  });

  it('keeps the rotated credentials in memory and persists them before the next refresh', async () => {
    const h = await createHarness();
    harness = h;
    const before = JSON.parse(await h.readFileText());
    // no background retry here: the next refresh itself must write first
    const manager = h.createManager({
      fileCheckIntervalInMs: 60_000,
      persistRetry: { initialDelayInMs: 600_000 },
    });
    const first = await manager.getAccessToken();

    writeControl.failures = 1;
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

  it('says so (event naming the file and the cause, `unsaved` state) and retries the write with backoff', async () => {
    const h = await createHarness();
    harness = h;
    const manager = h.createManager({
      fileCheckIntervalInMs: 60_000,
      persistRetry: { initialDelayInMs: 20, maxDelayInMs: 1_000 },
    });
    const first = await manager.getAccessToken();

    writeControl.failures = 3; // the refresh's write and the first two retries
    const second = await manager.invalidate(first, 'unauthorized');
    const failure = ofType(h.events, 'persist-failed')[0];
    expect(failure).toMatchObject({
      accountId: 'default',
      credentialsPath: h.credentialsPath,
      errnoCode: 'ENOSPC',
      attempt: 1,
      retryInMs: 20,
    });
    expect(failure?.message).toContain(h.credentialsPath);
    expect(failure?.message).toContain('ENOSPC');
    const status = manager.getStatus();
    expect(status).toMatchObject({
      state: 'unsaved',
      unsaved: { errnoCode: 'ENOSPC', attempts: 1 },
    });
    expect(status.message).toContain(h.credentialsPath);
    // it keeps serving the live token meanwhile
    expect((await manager.getAccessToken()).accessToken).toBe(second.accessToken);

    await h.waitForEvent((event) => event.type === 'persist-recovered');
    expect(ofType(h.events, 'persist-failed').map((event) => event.retryInMs)).toEqual([
      20, 40, 80,
    ]);
    expect(ofType(h.events, 'persist-recovered')).toEqual([
      {
        type: 'persist-recovered',
        accountId: 'default',
        credentialsPath: h.credentialsPath,
        outcome: 'saved',
        attempts: 3,
      },
    ]);
    expect(JSON.parse(await h.readFileText()).access_token).toBe(second.accessToken);
    expect(manager.getStatus().state).toBe('ok');
    expect(manager.getStatus().unsaved).toBeUndefined();
  });

  it('does not put the dead predecessor back when the untouched file is re-read', async () => {
    const h = await createHarness();
    harness = h;
    const manager = h.createManager({
      fileCheckIntervalInMs: 1,
      persistRetry: { initialDelayInMs: 600_000 },
    });
    const first = await manager.getAccessToken();
    writeControl.failures = 1;
    const second = await manager.invalidate(first, 'unauthorized');
    // another program touches the file: the watcher re-reads the dead pair
    const touchedAt = new Date(Date.now() + 1_000);
    await utimes(h.credentialsPath, touchedAt, touchedAt);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await manager.getAccessToken()).accessToken).toBe(second.accessToken);
    expect(manager.getStatus().state).toBe('unsaved');
  });

  it('tries once more on close()', async () => {
    const h = await createHarness();
    harness = h;
    const manager = h.createManager({
      fileCheckIntervalInMs: 60_000,
      persistRetry: { initialDelayInMs: 600_000 },
    });
    const first = await manager.getAccessToken();
    writeControl.failures = 1;
    const second = await manager.invalidate(first, 'unauthorized');
    expect(manager.getStatus().state).toBe('unsaved');

    await manager.close();

    const onDisk = JSON.parse(await h.readFileText());
    expect(onDisk.access_token).toBe(second.accessToken);
    expect(h.fake.isRefreshTokenValid(onDisk.refresh_token)).toBe(true);
    expect(ofType(h.events, 'persist-recovered')).toMatchObject([{ outcome: 'saved' }]);
  });

  it('reports the last try on close() when it fails too', async () => {
    const h = await createHarness();
    harness = h;
    const manager = h.createManager({
      fileCheckIntervalInMs: 60_000,
      persistRetry: { initialDelayInMs: 600_000 },
    });
    const first = await manager.getAccessToken();
    writeControl.failures = 2;
    await manager.invalidate(first, 'unauthorized');
    await manager.close();
    const failures = ofType(h.events, 'persist-failed');
    expect(failures).toHaveLength(2);
    expect(failures[1]).toMatchObject({ attempt: 2, errnoCode: 'ENOSPC' });
    expect(failures[1]?.retryInMs).toBeUndefined();
  });
});
