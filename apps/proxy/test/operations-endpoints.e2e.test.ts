import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from './support/start-test-environment';

const PROXY_KEY = 'ops-endpoints-proxy-key-81c3';

interface StatusJson {
  ready: boolean;
  accounts: Array<{ accountId: string; authType: string; state: string; expiresAt?: string }>;
  traffic: { minutes: Array<{ startedAt: string; requests: number; errors: number }> };
  streamsInFlight: number;
}

describe('probes and the status endpoints (built proxy)', () => {
  let environment: TestEnvironment | undefined;

  afterEach(async () => {
    await environment?.close();
    environment = undefined;
  });

  it('/livez and /readyz answer 200 with a usable account, GET and HEAD, without a proxy key', async () => {
    environment = await startTestEnvironment({ env: { PROXY_API_KEYS: PROXY_KEY } });
    const { url } = environment.proxy;

    const live = await fetch(`${url}/livez`);
    expect(live.status).toBe(200);
    await expect(live.json()).resolves.toEqual({ status: 'live' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    await expect(ready.json()).resolves.toEqual({ status: 'ready', usableAccounts: 1 });
    expect((await fetch(`${url}/readyz`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${url}/livez`, { method: 'POST' })).status).toBe(405);
  });

  it('/readyz answers 503 with the reason as JSON while no account can serve; /livez stays 200', async () => {
    environment = await startTestEnvironment({ credentials: 'none' });
    const { url } = environment.proxy;

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/json/);
    await expect(ready.json()).resolves.toEqual({
      status: 'not-ready',
      reason: 'no-usable-account',
      message: 'No account can serve a request now (default: no-credentials).',
    });
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    // /health stays the detailed view and keeps answering 200
    expect((await fetch(`${url}/health`)).status).toBe(200);

    await environment.fake.writeCredentialsFile({ dir: environment.qwenDir });
    // the default account adopts the new file on its own; readiness follows without a restart
    let status = 503;
    for (let attempt = 0; attempt < 500 && status !== 200; attempt++) {
      status = (await fetch(`${url}/readyz`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(200);
  });

  it('/status.json needs a proxy key when PROXY_API_KEYS is set; the page itself does not', async () => {
    environment = await startTestEnvironment({ env: { PROXY_API_KEYS: PROXY_KEY } });
    const { url } = environment.proxy;

    const locked = await fetch(`${url}/status.json`);
    expect(locked.status).toBe(401);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe(
      'invalid_api_key',
    );
    expect((await fetch(`${url}/status.json`, { headers: { 'x-api-key': 'wrong' } })).status).toBe(
      401,
    );
    const open = await fetch(`${url}/status.json`, {
      headers: { authorization: `Bearer ${PROXY_KEY}` },
    });
    expect(open.status).toBe(200);
    expect(open.headers.get('cache-control')).toBe('no-store');
    expect(((await open.json()) as StatusJson).accounts[0]?.state).toBe('ok');

    for (const path of ['/', '/status', '/status/']) {
      const page = await fetch(`${url}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      await expect(page.text()).resolves.toContain('<title>qwen-relay status</title>');
    }
  });

  it('/status.json never contains a token or a key, in OAuth mode', async () => {
    const issued: string[] = [];
    environment = await startTestEnvironment({
      credentials: 'none',
      env: { PROXY_API_KEYS: PROXY_KEY },
      prepareQwenDir: async ({ fake, qwenDir }) => {
        for (const accountName of [undefined, 'work']) {
          const credentials = fake.issueCredentials();
          issued.push(credentials.access_token, credentials.refresh_token);
          await fake.writeCredentialsFile({
            dir: qwenDir,
            credentials,
            ...(accountName === undefined ? {} : { accountName }),
          });
        }
      },
    });
    // a refresh issues new tokens; they must stay out of the page data too
    environment.fake.invalidateAccessToken();
    await environment.openai.chat.completions.create({
      model: 'coder-model',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const onDisk = JSON.parse(await readFile(environment.credentialsPath, 'utf8')) as {
      access_token: string;
      refresh_token: string;
    };
    issued.push(onDisk.access_token, onDisk.refresh_token);

    const text = await (
      await fetch(`${environment.proxy.url}/status.json`, { headers: { 'x-api-key': PROXY_KEY } })
    ).text();
    const snapshot = JSON.parse(text) as StatusJson;
    expect(snapshot.accounts.map((account) => account.accountId)).toEqual(['default', 'work']);
    for (const secret of [...issued, PROXY_KEY]) expect(text).not.toContain(secret);
    expect(text).not.toContain(environment.qwenDir);
  });

  it('/status.json never contains the static API key, and counts API traffic per minute', async () => {
    let apiKey = '';
    environment = await startTestEnvironment({
      credentials: 'none',
      configureEnv: ({ fake }) => {
        apiKey = fake.issueCredentials().access_token;
        return { QWEN_API_KEY: apiKey, QWEN_API_BASE_URL: `${fake.url}/v1` };
      },
    });
    const { url } = environment.proxy;
    // the key is a `standard` account: it serves the pay-as-you-go models
    await environment.openai.chat.completions.create({
      model: 'qwen3.6-plus',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect((await fetch(`${url}/v1/nowhere`)).status).toBe(404);
    // probes, scrapes and the page's own polling are not traffic
    await fetch(`${url}/readyz`);
    await fetch(`${url}/metrics`);
    await fetch(`${url}/status.json`);

    const text = await (await fetch(`${url}/status.json`)).text();
    expect(text).not.toContain(apiKey);
    const snapshot = JSON.parse(text) as StatusJson;
    expect(snapshot.accounts).toEqual([
      expect.objectContaining({
        accountId: 'api-key',
        type: 'standard',
        authType: 'api-key',
        state: 'ok',
      }),
    ]);
    expect(snapshot.traffic.minutes).toHaveLength(60);
    const totals = snapshot.traffic.minutes.reduce(
      (sum, minute) => ({
        requests: sum.requests + minute.requests,
        errors: sum.errors + minute.errors,
      }),
      { requests: 0, errors: 0 },
    );
    expect(totals).toEqual({ requests: 2, errors: 1 });
    expect(snapshot.streamsInFlight).toBe(0);
  });

  it('the page carries a CSP that allows exactly its own inline script and style', async () => {
    environment = await startTestEnvironment();
    const page = await fetch(`${environment.proxy.url}/`);
    const html = await page.text();
    const policy = page.headers.get('content-security-policy') ?? '';
    const digest = (text: string) => createHash('sha256').update(text).digest('base64');
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(policy).toContain(`script-src 'sha256-${digest(script)}'`);
    expect(policy).toContain(`style-src 'sha256-${digest(style)}'`);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // self-contained: nothing is loaded from anywhere else
    expect(html).not.toMatch(/\bsrc=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(Buffer.byteLength(html)).toBeLessThan(20_000);
  });
});
