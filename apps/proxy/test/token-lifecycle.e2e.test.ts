import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePrometheusText, sumSamples } from './support/parse-prometheus-text';
import {
  startTestEnvironment,
  type TestEnvironment,
  waitFor,
} from './support/start-test-environment';

const FAST_FILE_CHECKS = { CREDENTIALS_CHECK_INTERVAL_MS: '100' };

async function readHealth(environment: TestEnvironment) {
  const response = await fetch(`${environment.proxy.url}/health`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    status: string;
    accounts: Array<{ accountId: string; state: string; message?: string }>;
  };
}

function chat(environment: TestEnvironment) {
  return environment.openai.chat.completions.create({
    model: 'coder-model',
    messages: [{ role: 'user', content: 'ping' }],
  });
}

describe('token lifecycle through the proxy', () => {
  let environment: TestEnvironment | undefined;
  afterEach(async () => {
    await environment?.close();
    environment = undefined;
  });

  it('refreshes an expired token once before use and persists the rotated pair with mode 0600', async () => {
    environment = await startTestEnvironment({ credentials: 'expired' });
    const expiredToken = JSON.parse(await readFile(environment.credentialsPath, 'utf8'))
      .access_token as string;

    const [first, second] = await Promise.all([chat(environment), chat(environment)]);
    expect(first.choices).toHaveLength(1);
    expect(second.choices).toHaveLength(1);

    expect(environment.fake.counters.refreshCalls).toBe(1);
    expect(environment.fake.counters.unauthorizedSent).toBe(0);
    expect(environment.fake.tokensSeen.has(expiredToken)).toBe(false);
    const saved = JSON.parse(await readFile(environment.credentialsPath, 'utf8')) as Record<
      string,
      unknown
    >;
    expect(environment.fake.lastRequest('/v1/chat/completions')?.bearer).toBe(saved.access_token);
    expect(environment.fake.isRefreshTokenValid(saved.refresh_token as string)).toBe(true);
    expect((await stat(environment.credentialsPath)).mode & 0o777).toBe(0o600);
    const messages = environment.logEntries().map((entry) => entry.msg);
    expect(messages).toContain('Qwen access token expired or expiring soon, refreshing...');
    expect(messages).toContain('Qwen access token refreshed successfully');
  });

  it('shares one refresh among 40 concurrent requests after server-side invalidation', async () => {
    environment = await startTestEnvironment();
    await chat(environment);
    environment.fake.invalidateAccessToken();
    environment.fake.reset();

    const results = await Promise.all(
      Array.from({ length: 40 }, () => chat(environment as TestEnvironment)),
    );
    expect(results.every((result) => result.choices.length === 1)).toBe(true);
    expect(environment.fake.counters.refreshCalls).toBe(1);
    const messages = environment.logEntries().map((entry) => entry.msg);
    expect(messages).toContain('Detected auth error (401), attempting token refresh and retry...');
    expect(messages).toContain('Retrying request with refreshed token...');
    expect(messages).toContain('Request succeeded after token refresh');
  });

  it('answers 401 with a login hint for a revoked refresh token, stays healthy, and recovers from a new file', async () => {
    environment = await startTestEnvironment({ credentials: 'expired', env: FAST_FILE_CHECKS });
    environment.fake.revokeRefreshToken();

    await expect(chat(environment)).rejects.toMatchObject({
      status: 401,
      type: 'authentication_error',
      message: expect.stringContaining('qwen-relay auth login'),
    });
    const health = await readHealth(environment);
    expect(health.accounts[0]).toMatchObject({ accountId: 'default', state: 'needs-reauth' });
    const metrics = parsePrometheusText(
      await (await fetch(`${environment.proxy.url}/metrics`)).text(),
    );
    expect(sumSamples(metrics.samples, 'qwen_relay_accounts_needing_reauth')).toBe(1);
    expect(
      sumSamples(metrics.samples, 'qwen_relay_token_refreshes_total', { outcome: 'failed' }),
    ).toBeGreaterThan(0);
    // the file is never deleted or overwritten because a refresh failed
    expect(JSON.parse(await readFile(environment.credentialsPath, 'utf8')).access_token).toEqual(
      expect.any(String),
    );

    // a new login (another program writes the file) heals the account without a restart
    await environment.fake.writeCredentialsFile({ dir: environment.qwenDir });
    await waitFor(
      async () => (await readHealth(environment as TestEnvironment)).accounts[0]?.state === 'ok',
      {
        message: 'account recovery',
      },
    );
    const completion = await chat(environment);
    expect(completion.choices).toHaveLength(1);
  });

  it('waits for a lock held by another process and adopts the token it wrote', async () => {
    environment = await startTestEnvironment({
      credentials: 'expired',
      env: FAST_FILE_CHECKS,
      prepareQwenDir: async ({ qwenDir }) => {
        await writeFile(join(qwenDir, 'oauth_creds.lock'), 'another-process-lock-id');
      },
    });
    const lockPath = join(environment.qwenDir, 'oauth_creds.lock');
    // like a live holder, keep the lock fresh so a slow machine never sees it as stale (35 s)
    const keepFresh = setInterval(() => {
      const now = new Date();
      utimes(lockPath, now, now).catch(() => undefined);
    }, 1_000);
    const pending = chat(environment);
    await waitFor(
      () => environment?.logEntries().some((entry) => entry.event === 'lock-waiting') ?? false,
      {
        message: 'the proxy to wait for the lock',
      },
    );

    // the other process finishes its refresh: writes the file, then releases its lock
    const adoptedPath = await environment.fake.writeCredentialsFile({ dir: environment.qwenDir });
    const adopted = JSON.parse(await readFile(adoptedPath, 'utf8')) as { access_token: string };
    clearInterval(keepFresh);
    await rm(lockPath);

    const completion = await pending;
    expect(completion.choices).toHaveLength(1);
    expect(environment.fake.counters.refreshCalls).toBe(0);
    expect(environment.fake.lastRequest('/v1/chat/completions')?.bearer).toBe(adopted.access_token);
    await expect(stat(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a corrupt credentials file clearly and leaves it byte-identical', async () => {
    const corrupt = '{"access_token": "qat_half-written", "refresh_tok';
    environment = await startTestEnvironment({
      credentials: 'none',
      prepareQwenDir: async ({ qwenDir }) => {
        await writeFile(join(qwenDir, 'oauth_creds.json'), corrupt, { mode: 0o600 });
      },
    });
    await expect(chat(environment)).rejects.toMatchObject({
      status: 503,
      code: 'corrupt_credentials',
    });
    expect((await readHealth(environment)).accounts[0]?.state).toBe('corrupt');
    expect(await readFile(environment.credentialsPath, 'utf8')).toBe(corrupt);
    expect(environment.fake.counters.refreshCalls).toBe(0);
    expect(environment.logLines.join('\n')).not.toContain('qat_half-written');
  });

  it('serves without credentials: health answers, chat gets a login hint, a later login is picked up', async () => {
    environment = await startTestEnvironment({ credentials: 'none', env: FAST_FILE_CHECKS });
    const health = await readHealth(environment);
    expect(health.status).toBe('degraded');
    expect(health.accounts[0]).toMatchObject({ accountId: 'default', state: 'no-credentials' });
    await expect(chat(environment)).rejects.toMatchObject({
      status: 401,
      code: 'no_credentials',
      message: expect.stringContaining('qwen-relay auth login'),
    });

    await environment.fake.writeCredentialsFile({ dir: environment.qwenDir });
    await waitFor(
      async () => (await readHealth(environment as TestEnvironment)).accounts[0]?.state === 'ok',
      {
        message: 'credentials pickup',
      },
    );
    expect((await chat(environment)).choices).toHaveLength(1);
  });

  it('serves from a static API key and QWEN_API_BASE_URL instead of OAuth', async () => {
    let apiKey = '';
    environment = await startTestEnvironment({
      credentials: 'none',
      configureEnv: ({ fake }) => {
        apiKey = fake.issueCredentials().access_token;
        return { QWEN_API_KEY: apiKey, QWEN_API_BASE_URL: `${fake.url}/v1` };
      },
    });
    // the key is a `standard` account: it serves the pay-as-you-go models, not the portal's aliases
    const completion = await environment.openai.chat.completions.create({
      model: 'qwen3.6-plus',
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(completion.choices).toHaveLength(1);
    expect(environment.fake.lastRequest('/v1/chat/completions')?.bearer).toBe(apiKey);
    expect(environment.fake.counters.refreshCalls).toBe(0);
    const health = await readHealth(environment);
    expect(health.accounts).toEqual([
      expect.objectContaining({ authType: 'api-key', type: 'standard', state: 'ok' }),
    ]);
    expect(environment.logLines.join('\n')).not.toContain(apiKey);

    // API-key endpoints know no portal aliases: the client's model name goes upstream unchanged
    const named = await environment.openai.chat.completions.create({
      model: 'qwen3-coder-plus',
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(named.model).toBe('qwen3-coder-plus');
    expect(environment.fake.lastRequest('/v1/chat/completions')?.body).toMatchObject({
      model: 'qwen3-coder-plus',
    });
    const models = await environment.openai.models.list();
    expect(models.data.map((model) => model.id)).toContain('qwen3-coder-plus');
    expect(models.data.map((model) => model.id)).not.toContain('coder-model');
  });

  it('maps model names with the portal aliases for OAuth, or with MODEL_ALIASES when set', async () => {
    environment = await startTestEnvironment({});
    await environment.openai.chat.completions.create({
      model: 'qwen3.6-plus',
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(environment.fake.lastRequest('/v1/chat/completions')?.body).toMatchObject({
      model: 'coder-model',
    });
    await environment.close();

    environment = await startTestEnvironment({
      configureEnv: () => ({ MODEL_ALIASES: 'fast=qwen3-coder-flash' }),
    });
    const completion = await environment.openai.chat.completions.create({
      model: 'fast',
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(completion.model).toBe('fast');
    expect(environment.fake.lastRequest('/v1/chat/completions')?.body).toMatchObject({
      model: 'qwen3-coder-flash',
    });
  });

  it('lets QWEN_API_BASE_URL win over the resource_url of the credentials', async () => {
    environment = await startTestEnvironment({
      // a bare host that does not resolve: only the override can reach the fake
      fakeOptions: { resourceUrl: 'portal.invalid' },
      configureEnv: ({ fake }) => ({ QWEN_API_BASE_URL: `${fake.url}/v1` }),
    });
    expect((await chat(environment)).choices).toHaveLength(1);
  });
});
