import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEnvFile } from './load-env-file';
import { parseProxyConfig } from './parse-proxy-config';
import { ProxyConfigError } from './proxy-config-error';

describe('loadEnvFile', () => {
  let home: string;
  let project: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'proxy-env-home-'));
    project = await mkdtemp(join(tmpdir(), 'proxy-env-project-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(project, { recursive: true, force: true });
  });

  it("never reads the working directory's .env, and reports it when it names settings", async () => {
    await writeFile(join(project, '.env'), 'QWEN_OAUTH_BASE_URL=http://127.0.0.1:1\n');
    const loaded = loadEnvFile({ env: {}, cwd: project, homeDirectory: home });
    expect(loaded.envFile).toBeUndefined();
    expect(loaded.ignoredPath).toBe(join(project, '.env'));
    const config = parseProxyConfig({ env: {}, envFile: loaded });
    expect(config.oauthBaseUrl).toBe('https://chat.qwen.ai');
    expect(config.ignoredEnvFile).toBe(join(project, '.env'));
  });

  it("says nothing about a project's .env without proxy settings", async () => {
    await writeFile(join(project, '.env'), 'DATABASE_URL=postgres://x\n');
    expect(loadEnvFile({ env: {}, cwd: project, homeDirectory: home })).toEqual({});
  });

  it('reads ~/.qwen-relay/.env, with the real environment and flags winning', async () => {
    await mkdir(join(home, '.qwen-relay'));
    const path = join(home, '.qwen-relay', '.env');
    await writeFile(path, '# mine\nPORT=9100\nLOG_FORMAT="json"\nQWEN_DIR=/srv/qwen\n');
    const loaded = loadEnvFile({ env: {}, cwd: project, homeDirectory: home });
    expect(loaded.envFile).toEqual({
      path,
      values: { PORT: '9100', LOG_FORMAT: 'json', QWEN_DIR: '/srv/qwen' },
    });
    const config = parseProxyConfig({
      env: { PORT: '9200' },
      argv: ['--log-format', 'pretty'],
      envFile: loaded,
    });
    expect(config).toMatchObject({ port: 9200, logFormat: 'pretty', qwenDir: '/srv/qwen' });
    expect(config.settingSources).toEqual({ PORT: 'env', LOG_FORMAT: 'flag', QWEN_DIR: path });
  });

  it('reads the file named by --env-file or QWEN_RELAY_ENV_FILE instead, relative to the working directory', async () => {
    await mkdir(join(home, '.qwen-relay'));
    await writeFile(join(home, '.qwen-relay', '.env'), 'PORT=1\n');
    await writeFile(join(project, 'relay.env'), 'PORT=2\n');
    const byFlag = loadEnvFile({
      env: {},
      argv: ['--port', '5', '--env-file', 'relay.env'],
      cwd: project,
      homeDirectory: home,
    });
    expect(byFlag.envFile).toEqual({ path: join(project, 'relay.env'), values: { PORT: '2' } });
    const byEnv = loadEnvFile({
      env: { QWEN_RELAY_ENV_FILE: join(project, 'relay.env') },
      cwd: home,
      homeDirectory: home,
    });
    expect(byEnv.envFile?.values).toEqual({ PORT: '2' });
    // a named .env in the working directory is read, and then not reported as ignored
    await writeFile(join(project, '.env'), 'PORT=3\n');
    expect(
      loadEnvFile({ env: {}, argv: ['--env-file=.env'], cwd: project, homeDirectory: home }),
    ).toEqual({ envFile: { path: join(project, '.env'), values: { PORT: '3' } } });
  });

  it('stops on a named file that does not exist, naming the setting', () => {
    let caught: unknown;
    try {
      loadEnvFile({
        env: {},
        argv: ['--env-file', 'missing.env'],
        cwd: project,
        homeDirectory: home,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProxyConfigError);
    expect((caught as ProxyConfigError).setting).toBe('QWEN_RELAY_ENV_FILE');
    expect((caught as Error).message).toContain(join(project, 'missing.env'));
  });

  it('names the file in the error of an invalid value read from it', async () => {
    await mkdir(join(home, '.qwen-relay'));
    await writeFile(join(home, '.qwen-relay', '.env'), 'PORT=eighty\n');
    const loaded = loadEnvFile({ env: {}, cwd: project, homeDirectory: home });
    expect(() => parseProxyConfig({ envFile: loaded })).toThrow(
      `PORT in ${join(home, '.qwen-relay', '.env')}`,
    );
  });
});
