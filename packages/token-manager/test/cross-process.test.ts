import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/create-harness';
import { type IpcChild, startIpcChild } from './support/start-ipc-child';

/** The child runs the built package, like any consumer would; turbo builds before testing. */
const BUILT_ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const TOKEN_MANAGER_PROCESS = fileURLToPath(
  new URL('./fixtures/token-manager-process.mjs', import.meta.url),
);
const QWEN_CODE_PROCESS = fileURLToPath(
  new URL('./fixtures/qwen-code-process.mjs', import.meta.url),
);

describe('two processes of this package and qwen-code racing on one file', () => {
  let harness: Harness | undefined;
  const children: IpcChild[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.process.exitCode === null) child.process.kill();
    }
    await harness?.close();
    harness = undefined;
  });

  it('ends with one valid refresh token on disk and nobody logged out', async () => {
    expect(existsSync(BUILT_ENTRY), 'build the package first (turbo runs build before test)').toBe(
      true,
    );
    harness = await createHarness();
    await harness.writeCredentials({ expiresInSeconds: -60 });
    const env = {
      CREDENTIALS_PATH: harness.credentialsPath,
      OAUTH_BASE_URL: harness.fake.url,
      ROUNDS: '4',
    };
    children.push(
      startIpcChild({ script: TOKEN_MANAGER_PROCESS, env }),
      startIpcChild({ script: TOKEN_MANAGER_PROCESS, env }),
      startIpcChild({ script: QWEN_CODE_PROCESS, env }),
    );
    for (const child of children) expect(await child.next('ready')).toEqual({ type: 'ready' });

    for (const child of children) child.process.send('go');
    for (const child of children) {
      expect(await child.next('done')).toEqual({ type: 'done', state: expect.any(String) });
    }
    for (const child of children) child.process.send('final');
    const finals = [];
    for (const child of children) finals.push(await child.next('final'));

    // nobody logged out: every process ends with a token the upstream accepts
    for (const final of finals) {
      expect(final).toMatchObject({ type: 'final', state: 'ok' });
      expect(await harness.isAccessTokenAccepted(String(final.accessToken))).toBe(true);
    }
    // one valid refresh token on disk, and no refresh ever presented a dead one
    const onDisk = JSON.parse(await harness.readFileText());
    expect(harness.fake.isRefreshTokenValid(onDisk.refresh_token)).toBe(true);
    expect(harness.fake.counters.refreshCalls).toBeGreaterThanOrEqual(4);
    expect(harness.fake.counters.refreshSuccesses).toBe(harness.fake.counters.refreshCalls);
    expect(await readdir(harness.qwenDir)).toEqual(['oauth_creds.json']);

    for (const child of children) child.process.send('exit');
  });
});
