import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './helpers/create-test-io';
import { runBinary } from './helpers/start-binary';
import { useFakeQwenEnvironment } from './helpers/use-fake-qwen-environment';

describe('qwen-relay keys', () => {
  const setup = useFakeQwenEnvironment();
  const accountsPath = () => join(setup.dir, 'relay', 'accounts.json');
  const env = () => ({ QWEN_DIR: setup.dir, QWEN_RELAY_ACCOUNTS: accountsPath() });

  it('adds a key read from stdin (one cheap check call), lists it masked, tests it, serves with it and removes it', async () => {
    const key = setup.fake.issuePlanKey({ type: 'coding-plan' });
    const added = await runBinary({
      args: ['keys', 'add', '--base-url', setup.fake.planBaseUrl('coding-intl')],
      env: env(),
      home: setup.dir,
      stdin: `${key}\n`,
    });
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`Added cp-1 (coding-plan) to ${accountsPath()}`);
    expect(added.stdout).toContain('accepted the key');
    expect(added.stdout + added.stderr).not.toContain(key);
    // exactly one upstream call, with the key, asking for one token
    expect(setup.fake.counters.chatCalls).toBe(1);
    const check = setup.fake.lastRequest('/plans/coding-intl/v1/chat/completions');
    expect(check?.bearer).toBe(key);
    expect(check?.body).toMatchObject({ max_tokens: 1, stream: false });
    // stored 0600 in a 0700 directory
    expect((await stat(accountsPath())).mode & 0o777).toBe(0o600);
    expect((await stat(join(setup.dir, 'relay'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(accountsPath(), 'utf8'))).toEqual({
      accounts: [
        {
          id: 'cp-1',
          type: 'coding-plan',
          baseUrl: setup.fake.planBaseUrl('coding-intl'),
          apiKey: key,
        },
      ],
    });

    const listed = await runBinary({ args: ['keys', 'list'], env: env(), home: setup.dir });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/✓ cp-1 {2}coding-plan/);
    expect(listed.stdout).toContain(`sk-sp-…${key.slice(-4)}`);
    expect(listed.stdout).not.toContain(key);

    const tested = await runBinary({ args: ['keys', 'test'], env: env(), home: setup.dir });
    expect(tested.code).toBe(0);
    expect(tested.stdout).toMatch(/✓ cp-1 {2}coding-plan .* accepted/);

    // the proxy serves from the file the CLI wrote
    const { parseProxyConfig, startProxy } = await import('@qwen-relay/proxy');
    const proxy = await startProxy({
      ...parseProxyConfig({
        env: { ...env(), PORT: '0', LOG_LEVEL: 'silent' },
      }),
    });
    try {
      const response = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'glm-4.7', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(200);
      expect(setup.fake.lastRequest('/plans/coding-intl/v1/chat/completions')?.bearer).toBe(key);
    } finally {
      await proxy.close();
    }

    const removed = await runBinary({
      args: ['keys', 'remove', 'cp-1'],
      env: env(),
      home: setup.dir,
    });
    expect(removed.code).toBe(0);
    expect(JSON.parse(await readFile(accountsPath(), 'utf8'))).toEqual({ accounts: [] });
  });

  it('refuses a key whose prefix does not fit the type, before any upstream call', async () => {
    const general = setup.fake.issuePlanKey({ type: 'standard' });
    const result = await runInProcess({
      args: ['keys', 'add', '--type', 'coding-plan'],
      env: env(),
      secret: general,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sk-sp-');
    expect(result.stderr).not.toContain(general);
    expect(setup.fake.counters.chatCalls).toBe(0);
    await expect(stat(accountsPath())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('saves nothing when the upstream refuses the key, and says why', async () => {
    const beijingKey = setup.fake.issuePlanKey({ type: 'standard', region: 'cn' });
    const result = await runInProcess({
      args: ['keys', 'add', '--base-url', setup.fake.planBaseUrl('dashscope-intl')],
      env: env(),
      secret: beijingKey,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refused the key');
    expect(result.stderr).toContain('Nothing was saved');
    expect(result.stderr).not.toContain(beijingKey);
    await expect(stat(accountsPath())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps other entries and refuses a taken id or an unknown one', async () => {
    const first = setup.fake.issuePlanKey({ type: 'standard' });
    const add = (secret: string, args: string[]) =>
      runInProcess({ args: ['keys', 'add', '--no-check', ...args], env: env(), secret });
    expect((await add(first, ['--id', 'payg'])).code).toBe(0);
    const taken = await add(setup.fake.issuePlanKey({ type: 'standard' }), ['--id', 'payg']);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('already has an account "payg"');
    expect(
      (await add(setup.fake.issuePlanKey({ type: 'token-plan' }), ['--type', 'token-plan'])).code,
    ).toBe(0);
    const document = JSON.parse(await readFile(accountsPath(), 'utf8')) as {
      accounts: Array<{ id: string }>;
    };
    expect(document.accounts.map((entry) => entry.id)).toEqual(['payg', 'tp-1']);
    const unknown = await runInProcess({ args: ['keys', 'remove', 'nobody'], env: env() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no account "nobody"');
  });

  it('tests nothing, successfully, when there is no accounts file at all', async () => {
    // the binary with HOME in the temp directory: the default ~/.qwen-relay/accounts.json is absent
    const result = await runBinary({
      args: ['keys', 'test'],
      env: { QWEN_DIR: setup.dir },
      home: setup.dir,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No keys to test');
  });

  it('never rewrites an accounts file it cannot parse', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(join(setup.dir, 'relay'), { recursive: true });
    await writeFile(accountsPath(), '{"accounts": [', { mode: 0o600 });
    const result = await runInProcess({
      args: ['keys', 'add', '--no-check'],
      env: env(),
      secret: setup.fake.issuePlanKey({ type: 'standard' }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not valid JSON');
    expect(await readFile(accountsPath(), 'utf8')).toBe('{"accounts": [');
  });
});
