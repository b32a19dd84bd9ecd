import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './helpers/create-test-io';
import { runBinary } from './helpers/start-binary';
import { useFakeQwenEnvironment } from './helpers/use-fake-qwen-environment';

describe('auth status', () => {
  const setup = useFakeQwenEnvironment();

  const status = (args: string[] = [], env: Record<string, string> = {}) =>
    runBinary({
      args: ['auth', 'status', ...args],
      env: { QWEN_DIR: setup.dir, QWEN_OAUTH_BASE_URL: setup.fake.url, ...env },
      home: setup.dir,
    });

  // the same command in this process, for the cases whose point is logic rather than the binary
  const statusInProcess = (args: string[] = [], env: Record<string, string> = {}) =>
    runInProcess({
      args: ['auth', 'status', ...args],
      env: { QWEN_DIR: setup.dir, QWEN_OAUTH_BASE_URL: setup.fake.url, ...env },
    });

  const writeExpiringIn = (seconds: number, accountName?: string) =>
    setup.fake.writeCredentialsFile({
      dir: setup.dir,
      ...(accountName === undefined ? {} : { accountName }),
      credentials: { ...setup.fake.issueCredentials(), expiry_date: Date.now() + seconds * 1000 },
    });

  const cases: Array<{
    state: string;
    prepare: () => Promise<unknown>;
    exitCode: number;
    text: RegExp[];
    json: Record<string, unknown>;
  }> = [
    {
      state: 'valid',
      prepare: () => writeExpiringIn(3600),
      exitCode: 0,
      text: [
        /^✓ default {2}valid$/m,
        /expires {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC[+-]\d\d:\d\d\), in 59 min$/m,
        /lock {5}free$/m,
      ],
      json: { state: 'valid', usable: true },
    },
    {
      state: 'expiring',
      prepare: () => writeExpiringIn(120),
      exitCode: 0,
      text: [/^! default {2}expiring soon$/m, /in 1 min$/m, /serve refreshes it ahead of time/],
      json: { state: 'expiring', usable: true },
    },
    {
      state: 'expired',
      prepare: () => writeExpiringIn(-90),
      exitCode: 3,
      text: [/^✗ default {2}expired$/m, /, 1 min ago$/m, /run `qwen-relay auth refresh`/],
      json: { state: 'expired', usable: false },
    },
    {
      state: 'missing',
      prepare: async () => {},
      exitCode: 4,
      text: [/^✗ default {2}missing$/m, /run `qwen-relay auth login`/],
      json: { state: 'missing', usable: false },
    },
    {
      state: 'corrupt',
      prepare: () => writeFile(join(setup.dir, 'oauth_creds.json'), '{"access_token": "abc", '),
      exitCode: 5,
      text: [
        /^✗ default {2}corrupt$/m,
        /unusable \(not valid JSON.*\) and is never rewritten automatically; move it aside/,
      ],
      json: { state: 'corrupt', usable: false, problem: expect.stringMatching(/^not valid JSON/) },
    },
  ];

  it.each(cases)(
    '$state → exit $exitCode, text and --json',
    async ({ prepare, exitCode, text, json }) => {
      await prepare();
      const human = await status();
      expect(human.stderr).toBe('');
      expect(human.code).toBe(exitCode);
      for (const pattern of text) expect(human.stdout).toMatch(pattern);
      expect(human.stdout).not.toMatch(/\u001b\[/); // NO_COLOR: no escape codes

      const machine = await status(['--json']);
      expect(machine.code).toBe(exitCode);
      const parsed = JSON.parse(machine.stdout);
      expect(parsed).toMatchObject({ qwenDir: setup.dir, exitCode, usable: exitCode === 0 });
      expect(parsed.accounts).toEqual([
        expect.objectContaining({
          accountId: 'default',
          source: 'oauth-file',
          credentialsPath: join(setup.dir, 'oauth_creds.json'),
          lock: { path: join(setup.dir, 'oauth_creds.lock'), state: 'free' },
          ...json,
        }),
      ]);
    },
  );

  it('shows expiry as ISO time and seconds, and the endpoint, in --json', async () => {
    const path = await writeExpiringIn(3600);
    const { stdout } = await status(['--json']);
    const [account] = JSON.parse(stdout).accounts;
    expect(account.credentialsPath).toBe(path);
    expect(account.endpoint).toBe(`${setup.fake.url}/v1`);
    expect(Date.parse(account.expiresAt)).toBe(account.expiresAtInMs);
    expect(account.secondsToExpiry).toBeGreaterThan(3500);
    expect(stdout).not.toMatch(/access_token|refresh_token/);
  });

  it('reports a held and a stale lock', async () => {
    await writeExpiringIn(3600);
    await writeExpiringIn(3600, 'work');
    await writeFile(join(setup.dir, 'oauth_creds.lock'), 'another-process');
    const stalePath = join(setup.dir, 'oauth_creds_work.lock');
    await writeFile(stalePath, 'crashed-process');
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(stalePath, minuteAgo, minuteAgo);

    const { code, stdout } = await statusInProcess();
    expect(code).toBe(0); // a lock does not make an account unusable
    expect(stdout).toMatch(/^✓ default {2}valid$[\s\S]*lock {5}held by another process/m);
    expect(stdout).toMatch(
      /^✓ work {2}valid$[\s\S]*lock {5}stale for 1 min \(the next refresh removes it\)/m,
    );
  });

  it('several accounts: the worst state decides, --account narrows', async () => {
    await writeExpiringIn(3600);
    await writeExpiringIn(-10, 'work');
    const all = await statusInProcess();
    expect(all.code).toBe(3);
    expect(all.stdout).toMatch(/^✓ default {2}valid$/m);
    expect(all.stdout).toMatch(/^✗ work {2}expired$/m);
    expect(all.stdout).toContain('run `qwen-relay auth refresh --account work`');

    const onlyDefault = await statusInProcess(['--account', 'default']);
    expect(onlyDefault.code).toBe(0);
    expect(onlyDefault.stdout).not.toContain('work');

    const unknown = await statusInProcess(['--account', 'nobody']);
    expect(unknown.code).toBe(4);
    expect(unknown.stdout).toMatch(/^✗ nobody {2}missing$/m);
  });

  it('with QWEN_API_KEY, the key is what counts', async () => {
    const { code, stdout } = await statusInProcess([], {
      QWEN_API_KEY: 'sk-secret-key',
      QWEN_API_BASE_URL: `${setup.fake.url}/v1`,
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✓ api-key {2}valid$/m);
    expect(stdout).toContain('API key (QWEN_API_KEY)');
    expect(stdout).toContain(`endpoint ${setup.fake.url}/v1`);
    expect(stdout).not.toContain('sk-secret-key');
  });

  it('shows every account of the accounts file and QWEN_DIR with its type', async () => {
    await writeExpiringIn(3600);
    const accountsPath = join(setup.dir, 'accounts.json');
    const codingKey = setup.fake.issuePlanKey({ type: 'coding-plan' });
    await writeFile(
      accountsPath,
      JSON.stringify({
        accounts: [
          { id: 'cp-1', type: 'coding-plan', apiKey: codingKey },
          { id: 'payg', type: 'standard', region: 'us', apiKeyEnv: 'PAYG_KEY' },
        ],
      }),
      { mode: 0o600 },
    );
    const { code, stdout } = await statusInProcess(['--json'], {
      QWEN_RELAY_ACCOUNTS: accountsPath,
      PAYG_KEY: 'sk-payg-secret-key',
    });
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { accounts: Array<Record<string, unknown>> };
    expect(parsed.accounts.map(({ accountId, type, source }) => [accountId, type, source])).toEqual(
      [
        ['cp-1', 'coding-plan', 'accounts-file'],
        ['payg', 'standard', 'accounts-file'],
        ['default', 'qwen-oauth', 'oauth-file'],
      ],
    );
    expect(parsed.accounts[1]?.endpoint).toBe(
      'https://dashscope-us.aliyuncs.com/compatible-mode/v1',
    );
    expect(stdout).not.toContain(codingKey);
    expect(stdout).not.toContain('sk-payg-secret-key');
    const text = await statusInProcess([], {
      QWEN_RELAY_ACCOUNTS: accountsPath,
      PAYG_KEY: 'sk-payg-secret-key',
    });
    expect(text.stdout).toMatch(/^✓ cp-1 {2}valid$/m);
    expect(text.stdout).toMatch(/type {5}coding-plan$/m);
    expect(text.stdout).toMatch(/type {5}qwen-oauth$/m);
  });

  it('rejects an invalid account name with a usage error', async () => {
    const { code, stderr } = await statusInProcess(['--account', '../etc']);
    expect(code).toBe(2);
    expect(stderr).toContain('Error: "../etc" is not a valid account name.');
  });
});
