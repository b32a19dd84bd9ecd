import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@qwen-relay/fake-qwen/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { runAuthLogin } from '../src/commands/auth-login';
import { runCli } from '../src/program/run-cli';
import { cliArgv, createTestContext, createTestIo } from './helpers/create-test-io';
import { startBinary } from './helpers/start-binary';
import { useFakeQwenEnvironment } from './helpers/use-fake-qwen-environment';

describe('auth login', () => {
  const setup = useFakeQwenEnvironment({ slowDownStatus: 429 });
  let qwenDir: string;
  let userCodesBefore = 0;
  beforeEach(() => {
    qwenDir = join(setup.dir, 'qwen'); // does not exist yet: login creates it 0700
    userCodesBefore = setup.fake.userCodes.length;
    setup.fake.configure({ devicePollMinIntervalInMs: 0 }); // no slow_down unless a test asks
  });
  // the fake serves the whole suite: a test's code is the first one issued after it started
  const nextUserCode = () => setup.fake.userCodes[userCodesBefore];

  const env = () => ({
    QWEN_DIR: qwenDir,
    QWEN_OAUTH_BASE_URL: setup.fake.url,
    QWEN_RELAY_POLL_INTERVAL_MS: '50',
  });

  it('binary: pending → slow_down → approved writes a qwen-code file with mode 0600', async () => {
    // polls closer together than 600 ms get slow_down (429, as qwen-code expects); the CLI
    // starts at 50 ms, so its second poll is too early even on a loaded machine
    setup.fake.configure({ devicePollMinIntervalInMs: 600 });
    const login = startBinary({
      args: ['auth', 'login', '--no-browser'],
      env: env(),
      home: setup.dir,
    });
    const [, userCode] = await login.waitForOutput(/shows this code: (\S+)/);
    expect(setup.fake.userCodes).toContain(userCode);
    // the 50 ms first interval is too fast for the fake: the CLI reports the slow_down
    await login.waitForOutput(/server asked to slow down: polling every \d+ ms/, 'stderr');
    setup.fake.approve(userCode ?? '');

    const { code } = await login.exited;
    expect(login.stderr()).not.toMatch(/Error/);
    expect(code).toBe(0);
    const credentialsPath = join(qwenDir, 'oauth_creds.json');
    expect(login.stdout()).toContain(`Logged in. Credentials saved to ${credentialsPath}`);
    expect(login.stdout()).toMatch(/✓ default {2}valid/);
    expect(login.stdout()).toContain(`endpoint ${setup.fake.url}/v1`);

    const credentials = JSON.parse(await readFile(credentialsPath, 'utf8'));
    expect(Object.keys(credentials).sort()).toEqual([
      'access_token',
      'expiry_date',
      'refresh_token',
      'resource_url',
      'token_type',
    ]);
    expect(credentials).toMatchObject({ token_type: 'Bearer', resource_url: setup.fake.url });
    expect(setup.fake.isRefreshTokenValid(credentials.refresh_token)).toBe(true);
    expect(credentials.expiry_date).toBeGreaterThan(Date.now() + 3_500_000);
    expect((await stat(credentialsPath)).mode & 0o777).toBe(0o600);
    expect((await stat(qwenDir)).mode & 0o777).toBe(0o700);
    // several polls: at least one slow_down and the final approved one
    const polls = setup.fake.requests.filter((request) => request.path.endsWith('/oauth2/token'));
    expect(polls.length).toBeGreaterThanOrEqual(3);
    // the secret never reaches the terminal
    expect(login.stdout() + login.stderr()).not.toContain(credentials.access_token);
  });

  it('binary: Ctrl-C while waiting exits 130 and leaves the existing file as it was', async () => {
    const existing = await setup.fake.writeCredentialsFile({ dir: qwenDir });
    const before = await readFile(existing, 'utf8');
    const login = startBinary({
      args: ['auth', 'login', '--no-browser'],
      env: env(),
      home: setup.dir,
    });
    await login.waitForOutput(/shows this code: (\S+)/);
    login.child.kill('SIGINT');
    const { code } = await login.exited;
    expect(code).toBe(130);
    expect(login.stderr()).toContain('Login cancelled; no file was changed.');
    expect(await readFile(existing, 'utf8')).toBe(before);
    expect(await readdir(qwenDir)).toEqual(['oauth_creds.json']);
  });

  async function startInProcessLogin(args: string[] = []) {
    const io = createTestIo({ env: env() });
    const exitCode = runCli({
      argv: cliArgv('auth', 'login', '--no-browser', ...args),
      version: '0.0.0',
      ...io,
    });
    const userCode = await waitFor(() => nextUserCode(), {
      message: 'a user code',
    });
    return { io, exitCode, userCode };
  }

  it('denied in the browser: one clear sentence, exit 1, nothing written', async () => {
    const { io, exitCode, userCode } = await startInProcessLogin();
    setup.fake.deny(userCode);
    expect(await exitCode).toBe(1);
    expect(io.stderrText()).toContain(
      'Error: The login was denied in the browser.\nRun `qwen-relay auth login` to try again.',
    );
    expect(io.stderrText()).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace without --debug
    await expect(stat(qwenDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('expired code: tells to start again with the same account, nothing written', async () => {
    const { io, exitCode, userCode } = await startInProcessLogin(['--account', 'work']);
    setup.fake.expireDeviceCode(userCode);
    expect(await exitCode).toBe(1);
    expect(io.stderrText()).toContain('The login code expired before it was approved.');
    expect(io.stderrText()).toContain('`qwen-relay auth login --account work`');
    await expect(stat(qwenDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('--debug adds the stack trace', async () => {
    const io = createTestIo({ env: env() });
    const exitCode = runCli({
      argv: cliArgv('auth', 'login', '--no-browser', '--debug'),
      version: '0.0.0',
      ...io,
    });
    setup.fake.deny(await waitFor(() => nextUserCode()));
    expect(await exitCode).toBe(1);
    expect(io.stderrText()).toMatch(/DeviceFlowError|at .*:\d+:\d+/);
  });

  it('logging in again keeps the previous file as a backup', async () => {
    const previousPath = await setup.fake.writeCredentialsFile({
      dir: qwenDir,
      accountName: 'work',
    });
    const previous = await readFile(previousPath, 'utf8');
    const { io, exitCode, userCode } = await startInProcessLogin(['--account', 'work']);
    setup.fake.approve(userCode);
    expect(await exitCode).toBe(0);
    const backups = (await readdir(qwenDir)).filter((name) =>
      name.startsWith('oauth_creds_work.json.bak-'),
    );
    expect(backups).toHaveLength(1);
    expect(await readFile(join(qwenDir, backups[0] ?? ''), 'utf8')).toBe(previous);
    expect(io.stdoutText()).toContain(
      `The previous credentials were kept in ${join(qwenDir, backups[0] ?? '')}`,
    );
    expect(await readFile(previousPath, 'utf8')).not.toBe(previous);
  });

  it('auth add refuses an existing account and logs a new one in', async () => {
    await setup.fake.writeCredentialsFile({ dir: qwenDir, accountName: 'work' });
    const io = createTestIo({ env: env() });
    expect(
      await runCli({ argv: cliArgv('auth', 'add', 'work', '--no-browser'), version: '0', ...io }),
    ).toBe(1);
    expect(io.stderrText()).toContain('Account "work" already exists');

    const added = createTestIo({ env: env() });
    const exitCode = runCli({
      argv: cliArgv('auth', 'add', 'team', '--no-browser'),
      version: '0',
      ...added,
    });
    setup.fake.approve(await waitFor(() => nextUserCode()));
    expect(await exitCode).toBe(0);
    expect(
      JSON.parse(await readFile(join(qwenDir, 'oauth_creds_team.json'), 'utf8')),
    ).toMatchObject({
      token_type: 'Bearer',
    });
  });

  it('opens the browser at the complete address, and carries on quietly when that fails', async () => {
    const { context, io } = createTestContext({ env: env() });
    const opened: string[] = [];
    const login = runAuthLogin({
      ...context,
      pollIntervalInMs: 20,
      openBrowser: async (url) => {
        opened.push(url);
        throw new Error('no display');
      },
    }).catch((error: unknown) => error);
    const userCode = await waitFor(() => nextUserCode());
    await waitFor(() => opened.length > 0);
    setup.fake.approve(userCode);
    expect(await login).toBe(0);
    expect(opened).toEqual([expect.stringContaining(`user_code=${userCode}`)]);
    expect(io.stderrText()).not.toContain('no display');
  });

  it('in-process Ctrl-C (abort signal) exits 130 without writing', async () => {
    const controller = new AbortController();
    const io = createTestIo({ env: env(), signal: controller.signal });
    const exitCode = runCli({
      argv: cliArgv('auth', 'login', '--no-browser'),
      version: '0',
      ...io,
    });
    await waitFor(() => nextUserCode());
    controller.abort();
    expect(await exitCode).toBe(130);
    await expect(stat(qwenDir)).rejects.toMatchObject({ code: 'ENOENT' });
    // a file written meanwhile by someone else is not touched either
    await writeFile(join(setup.dir, 'marker'), '');
  });
});
