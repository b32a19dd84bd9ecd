import {
  chmod,
  lstat,
  mkdir,
  readdir,
  readFile,
  rename,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { isQwenRelayError } from '@qwen-relay/contracts';
import { withReadOnlyDirectory } from '@qwen-relay/fake-qwen/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/create-harness';
import { createTempDir } from './support/create-temp-dir';

describe('where credentials are stored', () => {
  let harness: Harness | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('refreshes through a symlinked oauth_creds.json: the link stays, its target gets the new pair', async () => {
    const h = await createHarness();
    harness = h;
    const dotfiles = join(h.qwenDir, 'dotfiles');
    await mkdir(dotfiles);
    const target = join(dotfiles, 'qwen-oauth.json');
    await rename(h.credentialsPath, target);
    await symlink('dotfiles/qwen-oauth.json', h.credentialsPath);
    const manager = h.createManager();
    const first = await manager.getAccessToken();

    const second = await manager.invalidate(first, 'unauthorized');

    expect((await lstat(h.credentialsPath)).isSymbolicLink()).toBe(true);
    const onTarget = JSON.parse(await readFile(target, 'utf8'));
    expect(onTarget.access_token).toBe(second.accessToken);
    expect(h.fake.isRefreshTokenValid(onTarget.refresh_token)).toBe(true);
    expect((await readdir(h.qwenDir)).sort()).toEqual(['dotfiles', 'oauth_creds.json']);
    expect(await readdir(dotfiles)).toEqual(['qwen-oauth.json']);
  });

  it('a read-only credentials directory: `unwritable` with the directory and the fix, a 503 error, the valid token still served', async () => {
    const h = await createHarness();
    harness = h;
    await h.writeCredentials({ expiresInSeconds: 10 }); // inside the buffer: due, not expired
    const manager = h.createManager({ refreshRetry: { maxAttempts: 1 } });
    await withReadOnlyDirectory({
      dir: h.qwenDir,
      action: async () => {
        await manager.start();
        const status = manager.getStatus();
        expect(status.state).toBe('unwritable');
        expect(status.message).toContain(`${h.qwenDir} is not writable`);
        expect(status.message).toContain('QWEN_DIR');
        // the refresh cannot take the lock, but the token has not expired: it is served
        const token = await manager.getAccessToken();
        expect(await h.isAccessTokenAccepted(token.accessToken)).toBe(true);
        const error = await manager.refresh({ force: true }).catch((e: unknown) => e);
        expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_CREDENTIALS_DIR_UNWRITABLE');
        expect(isQwenRelayError(error) && error.status).toBe(503);
        expect((error as Error).message).toContain('EACCES');
      },
    });
    expect(h.events.filter((event) => event.type === 'credentials-dir-unwritable')).toEqual([
      expect.objectContaining({ directory: h.qwenDir, errnoCode: 'EACCES' }),
    ]);
    // fixed: the next check clears it and a refresh works again
    await manager.refresh({ force: true });
    expect(manager.getStatus().state).toBe('ok');
  });

  it('a credentials file in a read-only directory (lock elsewhere): `unsaved`, then saved once writable', async () => {
    const h = await createHarness();
    harness = h;
    const lockDir = await createTempDir();
    cleanups.push(lockDir.remove);
    await chmod(lockDir.path, 0o777); // the lock stays creatable whoever we run as
    const manager = h.createManager({
      lockPath: join(lockDir.path, 'oauth_creds.lock'),
      persistRetry: { initialDelayInMs: 50, maxDelayInMs: 50 },
    });
    const first = await manager.getAccessToken();
    const second = await withReadOnlyDirectory({
      dir: h.qwenDir,
      action: async () => {
        const refreshed = await manager.invalidate(first, 'unauthorized');
        expect(manager.getStatus()).toMatchObject({
          state: 'unsaved',
          unsaved: { errnoCode: 'EACCES' },
        });
        return refreshed;
      },
    });
    const failure = h.events.find((event) => event.type === 'persist-failed');
    expect(failure).toMatchObject({ credentialsPath: h.credentialsPath, errnoCode: 'EACCES' });
    await h.waitForEvent((event) => event.type === 'persist-recovered');
    expect(JSON.parse(await h.readFileText()).access_token).toBe(second.accessToken);
    expect(manager.getStatus().state).toBe('ok');
  });

  it('adopts an interrupted write at start-up and says so', async () => {
    const h = await createHarness();
    harness = h;
    await h.writeCredentials({ expiresInSeconds: -60 });
    const dead = await h.readFileText();
    // what a process killed between fsync and rename leaves: the new pair in a newer temp file
    const fresh = h.fake.issueCredentials();
    await h.fake.writeCredentialsFile({ dir: h.qwenDir, credentials: fresh });
    await rename(h.credentialsPath, `${h.credentialsPath}.a1b2c3d4e5f6.tmp`);
    await writeFile(h.credentialsPath, dead, { mode: 0o600 });
    const past = new Date(Date.now() - 60_000);
    await utimes(h.credentialsPath, past, past);

    const manager = h.createManager();
    const token = await manager.getAccessToken();

    expect(token.accessToken).toBe(fresh.access_token);
    expect(h.fake.counters.refreshCalls).toBe(0);
    const recovered = h.events.find((event) => event.type === 'interrupted-write-recovered');
    expect(recovered).toMatchObject({
      credentialsPath: h.credentialsPath,
      tempPath: `${h.credentialsPath}.a1b2c3d4e5f6.tmp`,
      backupPath: expect.stringMatching(/oauth_creds\.json\.bak-\d{8}T\d{6}Z$/),
    });
  });
});
