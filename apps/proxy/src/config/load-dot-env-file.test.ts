import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDotEnvFile } from './load-dot-env-file';

describe('loadDotEnvFile', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  it('adds .env variables without overriding the real environment', async () => {
    directory = await mkdtemp(join(tmpdir(), 'proxy-dotenv-'));
    await writeFile(join(directory, '.env'), '# comment\nPORT=9100\nLOG_FORMAT="json"\n');
    const env = loadDotEnvFile({ cwd: directory, env: { PORT: '9200' } });
    expect(env).toEqual({ PORT: '9200', LOG_FORMAT: 'json' });
  });

  it('never takes QWEN_RELAY_ACCOUNTS from .env (a directory must not choose whose keys are served)', async () => {
    directory = await mkdtemp(join(tmpdir(), 'proxy-dotenv-'));
    await writeFile(join(directory, '.env'), 'QWEN_RELAY_ACCOUNTS=/tmp/evil.json\nPORT=9100\n');
    expect(loadDotEnvFile({ cwd: directory, env: {} })).toEqual({ PORT: '9100' });
    expect(
      loadDotEnvFile({ cwd: directory, env: { QWEN_RELAY_ACCOUNTS: '/home/me/accounts.json' } }),
    ).toEqual({ PORT: '9100', QWEN_RELAY_ACCOUNTS: '/home/me/accounts.json' });
  });

  it('returns the environment unchanged when there is no .env', async () => {
    directory = await mkdtemp(join(tmpdir(), 'proxy-dotenv-'));
    expect(loadDotEnvFile({ cwd: directory, env: { A: 'b' } })).toEqual({ A: 'b' });
  });
});
