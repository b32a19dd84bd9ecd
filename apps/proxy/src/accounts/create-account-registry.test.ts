import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseProxyConfig } from '../config/parse-proxy-config';
import { createLogger } from '../logging/create-logger';
import { type AccountRegistry, createAccountRegistry } from './create-account-registry';

// a token valid for an hour: the managers never call the (unreachable) OAuth server
async function writeCredentials(path: string): Promise<void> {
  const credentials = {
    access_token: `access-${Math.random()}`,
    refresh_token: `refresh-${Math.random()}`,
    token_type: 'Bearer',
    resource_url: 'portal.qwen.ai',
    expiry_date: Date.now() + 3_600_000,
  };
  await writeFile(path, JSON.stringify(credentials), { mode: 0o600 });
}

describe('createAccountRegistry', () => {
  let qwenDir: string | undefined;
  let registry: AccountRegistry | undefined;
  afterEach(async () => {
    await registry?.close();
    if (qwenDir !== undefined) await rm(qwenDir, { recursive: true, force: true });
    registry = undefined;
    qwenDir = undefined;
  });

  async function start(): Promise<{ registry: AccountRegistry; dir: string; changes: string[][] }> {
    const dir = await mkdtemp(join(tmpdir(), 'qwen-relay-registry-'));
    qwenDir = dir;
    await writeCredentials(join(dir, 'oauth_creds.json'));
    const config = parseProxyConfig({
      env: { QWEN_DIR: dir, QWEN_OAUTH_BASE_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'silent' },
    });
    const created = await createAccountRegistry({
      config,
      logger: createLogger({ level: 'silent', format: 'json' }),
      onEvent: () => {},
    });
    registry = created;
    const changes: string[][] = [];
    created.watch({
      onChange: (accounts) => changes.push(accounts.map((account) => account.accountId)),
    });
    return { registry: created, dir, changes };
  }

  const ids = (registry: AccountRegistry) => registry.current.map((account) => account.accountId);

  it('adds new files in discovery order and reports each change once', async () => {
    const { registry, dir, changes } = await start();
    expect(ids(registry)).toEqual(['default']);
    expect(await registry.rescan()).toBe(false);

    await writeCredentials(join(dir, 'oauth_creds_work.json'));
    await writeCredentials(join(dir, 'oauth_creds_alpha.json'));
    expect(await registry.rescan()).toBe(true);
    expect(ids(registry)).toEqual(['default', 'alpha', 'work']);
    expect(
      registry.current.find((account) => account.accountId === 'work')?.getStatus().state,
    ).toBe('ok');
    expect(await registry.rescan()).toBe(false);
    expect(changes).toEqual([['default', 'alpha', 'work']]);
  });

  it('drops an account only after its file was missing at two checks in a row', async () => {
    const { registry, dir } = await start();
    const workPath = join(dir, 'oauth_creds_work.json');
    await writeCredentials(workPath);
    await registry.rescan();
    const work = registry.current.find((account) => account.accountId === 'work');

    // deleted and rewritten between two checks (a non-atomic rewrite): never dropped
    await rm(workPath);
    expect(await registry.rescan()).toBe(false);
    await writeCredentials(workPath);
    expect(await registry.rescan()).toBe(false);
    expect(registry.current.find((account) => account.accountId === 'work')).toBe(work);

    await rm(workPath);
    expect(await registry.rescan()).toBe(false);
    expect(await registry.rescan()).toBe(true);
    expect(ids(registry)).toEqual(['default']);
    await expect(work?.getAccessToken()).rejects.toThrow();
  });

  it('keeps a default account waiting for a login when the last file goes', async () => {
    const { registry, dir, changes } = await start();
    const defaultAccount = registry.current[0];
    await rm(join(dir, 'oauth_creds.json'));
    expect(await registry.rescan()).toBe(false);
    expect(await registry.rescan()).toBe(false);
    // the same manager, still open: it watches the path for the next login
    expect(registry.current).toEqual([defaultAccount]);
    expect(changes).toEqual([]);
    await writeCredentials(join(dir, 'oauth_creds_work.json'));
    expect(await registry.rescan()).toBe(true);
    expect(ids(registry)).toEqual(['work']);
  });
});
