import { chmod, mkdir, readFile, rename, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withReadOnlyDirectory } from '@qwen-relay/fake-qwen/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePrometheusText, sumSamples } from './support/parse-prometheus-text';
import {
  startTestEnvironment,
  type TestEnvironment,
  waitFor,
} from './support/start-test-environment';

interface HealthAccount {
  accountId: string;
  state: string;
  message?: string;
  unsaved?: { since: string; errnoCode: string; attempts: number };
}

async function readHealth(environment: TestEnvironment) {
  const response = await fetch(`${environment.proxy.url}/health`);
  expect(response.status).toBe(200);
  return (await response.json()) as { status: string; accounts: HealthAccount[] };
}

async function readMetrics(environment: TestEnvironment) {
  return parsePrometheusText(await (await fetch(`${environment.proxy.url}/metrics`)).text());
}

async function postChat(environment: TestEnvironment) {
  const response = await fetch(`${environment.proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'coder-model', messages: [{ role: 'user', content: 'ping' }] }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { error?: { message: string; code: string; type: string } },
  };
}

describe('credentials that must survive full disks and odd directories', () => {
  let environment: TestEnvironment | undefined;
  afterEach(async () => {
    await environment?.close();
    environment = undefined;
  });

  it('an unwritable QWEN_DIR: 503 naming the directory and the fix, and /health says why', async () => {
    environment = await startTestEnvironment({ credentials: 'expired' });
    const env = environment;
    await withReadOnlyDirectory({
      dir: env.qwenDir,
      action: async () => {
        const answer = await postChat(env);
        expect(answer.status).toBe(503);
        expect(answer.body.error).toMatchObject({
          type: 'server_error',
          code: 'credentials_dir_unwritable',
        });
        expect(answer.body.error?.message).toContain(`${env.qwenDir} is not writable`);
        expect(answer.body.error?.message).toContain('chmod');
        expect(answer.body.error?.message).toContain('QWEN_DIR');
        const health = await readHealth(env);
        expect(health.status).toBe('degraded');
        expect(health.accounts[0]).toMatchObject({ state: 'unwritable' });
        expect(health.accounts[0]?.message).toContain(`${env.qwenDir} is not writable`);
      },
    });
    const logged = env.logEntries().find((entry) => entry.event === 'credentials-dir-unwritable');
    expect(logged).toMatchObject({ level: 'error', directory: env.qwenDir, errnoCode: 'EACCES' });
  });

  it('a failed write (read-only symlink target): ERROR log, `unsaved` in /health and /metrics, saved once writable', async () => {
    environment = await startTestEnvironment({
      credentials: 'expired',
      prepareQwenDir: async ({ qwenDir }) => {
        // the file lives on a "shared mount" that turns read-only; the lock stays creatable
        await mkdir(join(qwenDir, 'shared'));
        await rename(join(qwenDir, 'oauth_creds.json'), join(qwenDir, 'shared', 'creds.json'));
        await symlink('shared/creds.json', join(qwenDir, 'oauth_creds.json'));
        await chmod(qwenDir, 0o777);
      },
    });
    const env = environment;
    const target = join(env.qwenDir, 'shared', 'creds.json');
    await withReadOnlyDirectory({
      dir: join(env.qwenDir, 'shared'),
      action: async () => {
        // the refresh succeeds upstream; only the write fails, and the request is served
        expect((await postChat(env)).status).toBe(200);
        const health = await readHealth(env);
        expect(health.status).toBe('degraded');
        expect(health.accounts[0]).toMatchObject({
          state: 'unsaved',
          unsaved: { errnoCode: 'EACCES', attempts: expect.any(Number) },
        });
        expect(health.accounts[0]?.message).toContain(env.credentialsPath);
        const { samples } = await readMetrics(env);
        expect(sumSamples(samples, 'qwen_relay_accounts_unsaved')).toBe(1);
        expect(
          sumSamples(samples, 'qwen_relay_account_state', { account: 'default', state: 'unsaved' }),
        ).toBe(1);
        expect(
          sumSamples(samples, 'qwen_relay_credentials_write_failures_total', { code: 'EACCES' }),
        ).toBeGreaterThanOrEqual(1);
      },
    });
    const error = env.logEntries().find((entry) => entry.event === 'persist-failed');
    expect(error).toMatchObject({ level: 'error', errnoCode: 'EACCES' });
    expect(String(error?.msg)).toContain(env.credentialsPath);
    expect(String(error?.msg)).toContain('EACCES');

    // writable again: the retry with backoff saves the live pair
    await waitFor(async () => (await readHealth(env)).accounts[0]?.state === 'ok', {
      message: 'the retried write',
    });
    const saved = JSON.parse(await readFile(target, 'utf8')) as { refresh_token: string };
    expect(env.fake.isRefreshTokenValid(saved.refresh_token)).toBe(true);
    expect((await readHealth(env)).status).toBe('ok');
  });

  it('warns at start-up about credentials other users can read and a directory they can write', async () => {
    environment = await startTestEnvironment({
      prepareQwenDir: async ({ qwenDir }) => {
        await chmod(join(qwenDir, 'oauth_creds.json'), 0o644);
        await chmod(qwenDir, 0o777);
      },
    });
    const warnings = environment
      .logEntries()
      .filter((entry) => entry.level === 'warn')
      .map((entry) => String(entry.msg));
    expect(warnings).toContainEqual(
      expect.stringContaining(`${environment.credentialsPath} has mode 0644`),
    );
    expect(warnings).toContainEqual(
      expect.stringContaining(`chmod 600 '${environment.credentialsPath}'`),
    );
    expect(warnings).toContainEqual(
      expect.stringContaining(`${environment.qwenDir} has mode 0777`),
    );
  });

  it('takes over a lock whose mtime is in the future instead of answering lock_timeout forever', async () => {
    environment = await startTestEnvironment({
      credentials: 'expired',
      prepareQwenDir: async ({ qwenDir }) => {
        const lockPath = join(qwenDir, 'oauth_creds.lock');
        await writeFile(lockPath, 'skewed-clock-lock');
        const inAnHour = new Date(Date.now() + 3_600_000);
        await utimes(lockPath, inAnHour, inAnHour);
      },
    });
    expect((await postChat(environment)).status).toBe(200);
    expect(
      environment.logEntries().find((entry) => entry.event === 'lock-stale-removed'),
    ).toMatchObject({ level: 'warn', reason: 'future-mtime' });
  });
});
