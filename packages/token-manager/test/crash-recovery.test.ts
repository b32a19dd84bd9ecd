import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from './support/create-harness';
import { type IpcChild, startIpcChild } from './support/start-ipc-child';

/** The child runs the built package, like any consumer would; turbo builds before testing. */
const BUILT_ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const CRASH_PROCESS = fileURLToPath(
  new URL('./fixtures/crash-during-refresh-process.mjs', import.meta.url),
);

/*
 * Real OS processes: one refreshes an expired token against fake-qwen and is SIGKILLed at a
 * chosen point of its write (or SIGTERMed while the token endpoint is still answering); a
 * fresh process then starts on the same directory, as after a crash and a restart.
 */
describe('a process killed during a refresh', () => {
  let harness: Harness | undefined;
  const children: IpcChild[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGKILL');
        await child.exited();
      }
    }
    await harness?.close();
    harness = undefined;
  });

  async function setUp(): Promise<{ h: Harness; originalRefreshToken: string }> {
    expect(existsSync(BUILT_ENTRY), 'build the package first (turbo runs build before test)').toBe(
      true,
    );
    const h = await createHarness();
    harness = h;
    await h.writeCredentials({ expiresInSeconds: -60 });
    return { h, originalRefreshToken: JSON.parse(await h.readFileText()).refresh_token };
  }

  function start(h: Harness, pauseAt?: 'before-temp-file' | 'before-rename'): IpcChild {
    const child = startIpcChild({
      script: CRASH_PROCESS,
      env: {
        CREDENTIALS_PATH: h.credentialsPath,
        OAUTH_BASE_URL: h.fake.url,
        PAUSE_AT: pauseAt ?? '',
      },
    });
    children.push(child);
    return child;
  }

  async function killAt(h: Harness, point: 'before-temp-file' | 'before-rename'): Promise<void> {
    const doomed = start(h, point);
    await doomed.next('ready');
    doomed.process.send('token');
    expect(await doomed.next('paused')).toEqual({ type: 'paused', point });
    doomed.process.kill('SIGKILL');
    expect(await doomed.exited()).toEqual({ code: null, signal: 'SIGKILL' });
  }

  async function askForToken(child: IpcChild) {
    child.process.send('token');
    return child.next('token');
  }

  it('after the temp file was written: the next process adopts it and serves without a login', async () => {
    const { h, originalRefreshToken } = await setUp();
    await killAt(h, 'before-rename');
    // the token endpoint rotated: the refresh token in the file is dead, the new pair is in a temp file
    expect(h.fake.isRefreshTokenValid(originalRefreshToken)).toBe(false);
    expect(JSON.parse(await h.readFileText()).refresh_token).toBe(originalRefreshToken);
    expect((await readdir(h.qwenDir)).some((entry) => entry.endsWith('.tmp'))).toBe(true);

    const restarted = start(h);
    expect(await restarted.next('ready')).toEqual({ type: 'ready', state: 'ok' });
    const answer = await askForToken(restarted);

    expect(answer).toMatchObject({ state: 'ok' });
    expect(await h.isAccessTokenAccepted(String(answer.accessToken))).toBe(true);
    expect(answer.events).toContain('interrupted-write-recovered');
    // no second refresh, and none with the dead token
    expect(h.fake.counters.refreshCalls).toBe(1);
    const onDisk = JSON.parse(await h.readFileText());
    expect(h.fake.isRefreshTokenValid(onDisk.refresh_token)).toBe(true);
    // nothing deleted: the old file is kept as a backup, the temp file became the file; the
    // dead process's lock was taken over at once (its owner is gone)
    const entries = (await readdir(h.qwenDir)).sort();
    expect(entries).toEqual([
      'oauth_creds.json',
      expect.stringMatching(/^oauth_creds\.json\.bak-\d{8}T\d{6}Z$/),
    ]);
    const backup = JSON.parse(await readFile(join(h.qwenDir, entries[1] as string), 'utf8'));
    expect(backup.refresh_token).toBe(originalRefreshToken);
  });

  it('before anything was written: a clear needs-reauth after one rejected refresh, never a loop', async () => {
    const { h } = await setUp();
    await killAt(h, 'before-temp-file');
    expect(h.fake.counters.refreshSuccesses).toBe(1);

    const restarted = start(h);
    await restarted.next('ready');
    for (let request = 0; request < 4; request += 1) {
      expect(await askForToken(restarted)).toMatchObject({
        code: 'QWEN_RELAY_NEEDS_REAUTH',
        state: 'needs-reauth',
      });
    }
    // the dead refresh token was presented once, not once per request
    expect(h.fake.counters.refreshCalls).toBe(2);
  });

  it('while the token endpoint was still answering: needs-reauth without waiting for the lock, never a loop', async () => {
    const { h, originalRefreshToken } = await setUp();
    h.fake.inject({
      endpoint: 'token',
      grantType: 'refresh_token',
      action: { type: 'delay-headers', delayInMs: 500 },
    });
    const doomed = start(h);
    await doomed.next('ready');
    doomed.process.send('token');
    await vi.waitFor(() => expect(h.fake.counters.refreshCalls).toBe(1), { interval: 5 });
    doomed.process.kill('SIGKILL');
    await doomed.exited();
    // the real upstream finishes its work although nobody reads the answer: it rotated
    // (the fake drops a request whose client is gone, so the rotation is done by hand)
    h.fake.revokeRefreshToken(originalRefreshToken);

    const restarted = start(h);
    await restarted.next('ready');
    for (let request = 0; request < 3; request += 1) {
      expect(await askForToken(restarted)).toMatchObject({ state: 'needs-reauth' });
    }
    expect(h.fake.counters.refreshCalls).toBe(2);
  });

  it('a graceful SIGTERM while the token endpoint answers still persists the new pair', async () => {
    const { h, originalRefreshToken } = await setUp();
    h.fake.inject({
      endpoint: 'token',
      grantType: 'refresh_token',
      action: { type: 'delay-headers', delayInMs: 300 },
    });
    const stopping = start(h);
    await stopping.next('ready');
    stopping.process.send('token');
    await vi.waitFor(() => expect(h.fake.counters.refreshCalls).toBe(1), { interval: 5 });
    stopping.process.kill('SIGTERM');
    expect(await stopping.exited()).toEqual({ code: 0, signal: null });

    const onDisk = JSON.parse(await h.readFileText());
    expect(onDisk.refresh_token).not.toBe(originalRefreshToken);
    expect(h.fake.isRefreshTokenValid(onDisk.refresh_token)).toBe(true);
    const restarted = start(h);
    await restarted.next('ready');
    const answer = await askForToken(restarted);
    expect(answer).toMatchObject({ state: 'ok', accessToken: onDisk.access_token });
    expect(h.fake.counters.refreshCalls).toBe(1);
    expect(await readdir(h.qwenDir)).toEqual(['oauth_creds.json']);
  });
});
