import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TokenManagerEvent } from '@qwen-relay/contracts';
import { waitFor } from '@qwen-relay/fake-qwen/testing';
import { writeCredentialsFile } from '@qwen-relay/token-manager';
import { describe, expect, it } from 'vitest';
import { runAuthRefresh } from '../src/commands/auth-refresh';
import { runCli } from '../src/program/run-cli';
import { cliArgv, createTestContext, createTestIo } from './helpers/create-test-io';
import { useFakeQwenEnvironment } from './helpers/use-fake-qwen-environment';

describe('auth refresh', () => {
  const setup = useFakeQwenEnvironment();

  const env = () => ({ QWEN_DIR: setup.dir, QWEN_OAUTH_BASE_URL: setup.fake.url });
  const readCredentials = async (name = 'oauth_creds.json') =>
    JSON.parse(await readFile(join(setup.dir, name), 'utf8'));

  it('refreshes, rotates the refresh token and prints old and new expiry', async () => {
    const old = setup.fake.issueCredentials({ expiresInSeconds: 600 });
    await setup.fake.writeCredentialsFile({ dir: setup.dir, credentials: old });
    const io = createTestIo({ env: env() });
    expect(await runCli({ argv: cliArgv('auth', 'refresh'), version: '0', ...io })).toBe(0);

    const fresh = await readCredentials();
    expect(setup.fake.counters.refreshCalls).toBe(1);
    expect(fresh.refresh_token).not.toBe(old.refresh_token);
    expect(setup.fake.isRefreshTokenValid(fresh.refresh_token)).toBe(true);
    expect(fresh.expiry_date).toBeGreaterThan(old.expiry_date);
    expect(io.stdoutText()).toMatch(/^✓ Refreshed default \(.*oauth_creds\.json\)$/m);
    expect(io.stdoutText()).toMatch(/before {3}.*, in (9|10) min$/m);
    expect(io.stdoutText()).toMatch(/now {6}.*, in 59 min$/m);
    expect(io.stdoutText() + io.stderrText()).not.toContain(fresh.access_token);
    await expect(stat(join(setup.dir, 'oauth_creds.lock'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('--json prints both expiries', async () => {
    await setup.fake.writeCredentialsFile({ dir: setup.dir, accountName: 'work' });
    const io = createTestIo({ env: env() });
    expect(
      await runCli({
        argv: cliArgv('auth', 'refresh', '--account', 'work', '--json'),
        version: '0',
        ...io,
      }),
    ).toBe(0);
    const output = JSON.parse(io.stdoutText());
    expect(output).toMatchObject({
      accountId: 'work',
      credentialsPath: join(setup.dir, 'oauth_creds_work.json'),
    });
    expect(Date.parse(output.expiresAt)).toBeGreaterThanOrEqual(
      Date.parse(output.previousExpiresAt),
    );
  });

  it('waits for a lock held by another process and continues from the file it wrote', async () => {
    const credentialsPath = join(setup.dir, 'oauth_creds.json');
    const lockPath = join(setup.dir, 'oauth_creds.lock');
    const old = setup.fake.issueCredentials({ expiresInSeconds: 5 });
    await setup.fake.writeCredentialsFile({ dir: setup.dir, credentials: old });
    // another process (qwen-code, a proxy) is refreshing: it holds qwen-code's lock
    await writeFile(lockPath, 'other-process-uuid', { flag: 'wx' });

    const events: TokenManagerEvent[] = [];
    const { context, io } = createTestContext({ env: env() });
    const refreshing = runAuthRefresh({ ...context, onEvent: (event) => events.push(event) });
    await waitFor(() => events.some((event) => event.type === 'lock-waiting'), {
      message: 'lock-waiting',
    });

    // ... it finishes: the old refresh token is spent (rotation), the new pair is written
    // atomically, then the lock is released
    const rotated = setup.fake.issueCredentials({ expiresInSeconds: 3600 });
    setup.fake.revokeRefreshToken(old.refresh_token);
    await writeCredentialsFile({ path: credentialsPath, credentials: { ...rotated } });
    await unlink(lockPath);

    expect(await refreshing).toBe(0);
    const final = await readCredentials();
    // either adopted the other process's token (0 calls) or refreshed with the NEW refresh token
    expect(setup.fake.counters.refreshCalls).toBeLessThanOrEqual(1);
    if (setup.fake.counters.refreshCalls === 0)
      expect(final.access_token).toBe(rotated.access_token);
    expect(setup.fake.isRefreshTokenValid(final.refresh_token)).toBe(true);
    expect(final.expiry_date).toBeGreaterThan(Date.now() + 3_000_000);
    await expect(stat(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(io.stdoutText()).toContain('✓ Refreshed default');
  });

  it('Ctrl-C while waiting for the lock: exit 130, file and the other process’s lock untouched', async () => {
    const path = await setup.fake.writeCredentialsFile({ dir: setup.dir });
    const before = await readFile(path, 'utf8');
    const lockPath = join(setup.dir, 'oauth_creds.lock');
    await writeFile(lockPath, 'other-process-uuid', { flag: 'wx' });

    const controller = new AbortController();
    const events: TokenManagerEvent[] = [];
    const { context, io } = createTestContext({ env: env(), signal: controller.signal });
    const refreshing = runAuthRefresh({ ...context, onEvent: (event) => events.push(event) });
    await waitFor(() => events.some((event) => event.type === 'lock-waiting'), {
      message: 'lock-waiting',
    });
    controller.abort();

    await expect(refreshing).rejects.toMatchObject({
      code: 'QWEN_RELAY_CLI_CANCELLED',
      exitCode: 130,
    });
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await readFile(lockPath, 'utf8')).toBe('other-process-uuid');
    expect(setup.fake.counters.refreshCalls).toBe(0);
    expect(io.stdoutText()).toBe('');
  });

  it('--debug shows token-manager events on stderr, without secrets', async () => {
    const credentials = setup.fake.issueCredentials();
    await setup.fake.writeCredentialsFile({ dir: setup.dir, credentials });
    const io = createTestIo({ env: env() });
    expect(await runCli({ argv: cliArgv('auth', 'refresh', '--debug'), version: '0', ...io })).toBe(
      0,
    );
    expect(io.stderrText()).toMatch(/^debug: refresh-started accountId=default reason=manual/m);
    expect(io.stderrText()).toMatch(/^debug: refresh-succeeded /m);
    expect(io.stderrText()).not.toContain(credentials.refresh_token);
  });

  it('a rejected refresh token: says to log in again and keeps the file', async () => {
    const credentials = setup.fake.issueCredentials();
    const path = await setup.fake.writeCredentialsFile({
      dir: setup.dir,
      accountName: 'work',
      credentials,
    });
    const before = await readFile(path, 'utf8');
    setup.fake.revokeRefreshToken(credentials.refresh_token);
    const io = createTestIo({ env: env() });
    expect(
      await runCli({ argv: cliArgv('auth', 'refresh', '--account', 'work'), version: '0', ...io }),
    ).toBe(1);
    expect(io.stderrText()).toBe(
      'Error: The OAuth server no longer accepts this account’s refresh token.\n' +
        'Log in again with `qwen-relay auth login --account work`.\n',
    );
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('no credentials: one sentence and how to log in', async () => {
    const io = createTestIo({ env: env() });
    expect(await runCli({ argv: cliArgv('auth', 'refresh'), version: '0', ...io })).toBe(1);
    expect(io.stderrText()).toMatch(
      /^Error: .*oauth_creds\.json.*\nLog in with `qwen-relay auth login`\.\n$/,
    );
    expect(setup.fake.counters.refreshCalls).toBe(0);
  });
});
