import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeEgressProxy, type FakeQwen, startFakeEgressProxy } from '@qwen-relay/fake-qwen';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILT_PROXY_MAIN } from './support/load-built-proxy';
import { parsePrometheusText } from './support/parse-prometheus-text';
import { startTestEnvironment, type TestEnvironment } from './support/start-test-environment';

interface PlanKeys {
  coding: string;
  token: string;
  standard: string;
}

/**
 * Test-environment hooks writing an accounts file (0600, in the temp QWEN_DIR) with one account
 * of each key type, all on the fake's plan hosts.
 */
function withThreePlanAccounts({ egressProxyUrl }: { egressProxyUrl?: string } = {}) {
  let written: { env: Record<string, string>; keys: PlanKeys } | undefined;
  return {
    prepareQwenDir: async ({ fake, qwenDir }: { fake: FakeQwen; qwenDir: string }) => {
      written = await writeThreePlanAccounts({
        fake,
        qwenDir,
        ...(egressProxyUrl === undefined ? {} : { egressProxyUrl }),
      });
    },
    configureEnv: () => written?.env ?? {},
    keys: () => written?.keys,
  };
}

async function writeThreePlanAccounts({
  fake,
  qwenDir,
  egressProxyUrl,
}: {
  fake: FakeQwen;
  qwenDir: string;
  egressProxyUrl?: string;
}): Promise<{ env: Record<string, string>; keys: PlanKeys }> {
  const keys: PlanKeys = {
    coding: fake.issuePlanKey({ type: 'coding-plan' }),
    token: fake.issuePlanKey({ type: 'token-plan' }),
    standard: fake.issuePlanKey({ type: 'standard' }),
  };
  const path = join(qwenDir, 'accounts.json');
  const accounts = [
    {
      id: 'cp-1',
      type: 'coding-plan',
      apiKey: keys.coding,
      baseUrl: fake.planBaseUrl('coding-intl'),
      tier: 'lite',
      limits: { '5h': 1200, '7d': 9000, '30d': 18000 },
    },
    {
      id: 'tp-1',
      type: 'token-plan',
      apiKeyEnv: 'TEST_TOKEN_PLAN_KEY',
      baseUrl: fake.planBaseUrl('token-plan-intl'),
    },
    {
      id: 'std-1',
      type: 'standard',
      apiKey: keys.standard,
      baseUrl: fake.planBaseUrl('dashscope-intl'),
      ...(egressProxyUrl === undefined ? {} : { egressProxy: egressProxyUrl }),
    },
  ];
  await writeFile(path, JSON.stringify({ accounts }, null, 2), { mode: 0o600 });
  return { env: { QWEN_RELAY_ACCOUNTS: path, TEST_TOKEN_PLAN_KEY: keys.token }, keys };
}

async function readJson(environment: TestEnvironment, path: string) {
  const response = await fetch(`${environment.proxy.url}${path}`);
  return (await response.json()) as Record<string, unknown>;
}

function ask(environment: TestEnvironment, model: string) {
  return environment.openai.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'ping' }],
  });
}

let planEnv: Record<string, string> = {};

describe('Model Studio plans as accounts', () => {
  let environment: TestEnvironment | undefined;
  let egress: FakeEgressProxy | undefined;
  afterEach(async () => {
    await environment?.close();
    await egress?.close();
    environment = undefined;
    egress = undefined;
  });

  it('routes each model only to the accounts that serve it, across three plan types', async () => {
    const plans = withThreePlanAccounts();
    environment = await startTestEnvironment({
      credentials: 'none',
      prepareQwenDir: plans.prepareQwenDir,
      configureEnv: plans.configureEnv,
    });
    const keys = plans.keys();
    const { fake } = environment;
    const bearerOf = (path: string) => fake.lastRequest(path)?.bearer;

    expect((await ask(environment, 'glm-4.7')).model).toBe('glm-4.7');
    expect(bearerOf('/plans/coding-intl/v1/chat/completions')).toBe(keys?.coding);
    await ask(environment, 'glm-5.2');
    expect(bearerOf('/plans/token-plan-intl/compatible-mode/v1/chat/completions')).toBe(
      keys?.token,
    );
    await ask(environment, 'qwen3.8-max');
    expect(bearerOf('/plans/dashscope-intl/compatible-mode/v1/chat/completions')).toBe(
      keys?.standard,
    );
    // a model every plan serves goes to the accounts with the most headroom: cp-1 has spent
    // part of its windows (tier lite), the others have no windows and count as full, so they
    // take turns (distinct conversations: one conversation would stay on one account)
    fake.reset();
    for (let index = 0; index < 3; index++) {
      await environment.openai.chat.completions.create({
        model: 'MiniMax-M2.5',
        messages: [{ role: 'user', content: `ping ${index}` }],
      });
    }
    expect(new Set(fake.requests.map((request) => request.path))).toEqual(
      new Set([
        '/plans/token-plan-intl/compatible-mode/v1/chat/completions',
        '/plans/dashscope-intl/compatible-mode/v1/chat/completions',
      ]),
    );
    // prompt caching on every plan request, and never the OAuth marker
    for (const request of fake.requests) {
      expect(request.headers['x-dashscope-cachecontrol']).toBe('enable');
      expect(request.headers['x-dashscope-authtype']).toBeUndefined();
    }
    // no plan request ever got a plan error: routing kept every model on its plan
    expect(fake.counters.unauthorizedSent).toBe(0);
  });

  it('lists the union of the plans models with the accounts serving each', async () => {
    environment = await startTestEnvironment({
      credentials: 'none',
      ...withThreePlanAccounts(),
    });
    const models = await environment.openai.models.list();
    const byId = new Map(
      models.data.map((model) => [model.id, (model as unknown as { accounts: string[] }).accounts]),
    );
    expect(byId.get('glm-4.7')).toEqual(['cp-1']);
    expect(byId.get('glm-5.2')).toEqual(['tp-1', 'std-1']);
    expect(byId.get('MiniMax-M2.5')).toEqual(['cp-1', 'tp-1', 'std-1']);
    expect(byId.get('text-embedding-v4')).toEqual(['std-1']);
    expect(byId.has('coder-model')).toBe(false);
    const one = await environment.openai.models.retrieve('qwen3.8-max');
    expect(one).toMatchObject({ id: 'qwen3.8-max', accounts: ['std-1'] });
  });

  it('answers a model no account serves with 404 model_not_found naming the closest served names', async () => {
    environment = await startTestEnvironment({
      credentials: 'none',
      ...withThreePlanAccounts(),
    });
    const error = await ask(environment, 'glm-4.8').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    expect((error as Error).message).toContain("'glm-4.8'");
    expect((error as Error).message).toContain('glm-4.7');
    expect(environment.fake.counters.chatCalls).toBe(0);
  });

  it('shows every account with its type in /health and /metrics', async () => {
    environment = await startTestEnvironment({
      credentials: 'valid',
      ...withThreePlanAccounts(),
    });
    const health = await readJson(environment, '/health');
    expect(health.status).toBe('ok');
    expect(health.accounts).toEqual([
      expect.objectContaining({ accountId: 'cp-1', type: 'coding-plan', state: 'ok' }),
      expect.objectContaining({ accountId: 'tp-1', type: 'token-plan', state: 'ok' }),
      expect.objectContaining({ accountId: 'std-1', type: 'standard', state: 'ok' }),
      // the OAuth file of QWEN_DIR is merged in
      expect.objectContaining({ accountId: 'default', type: 'qwen-oauth' }),
    ]);
    const { samples } = parsePrometheusText(
      await (await fetch(`${environment.proxy.url}/metrics`)).text(),
    );
    const info = samples.filter((sample) => sample.name === 'qwen_relay_account_info');
    expect(info.map((sample) => [sample.labels.account, sample.labels.type])).toEqual([
      ['cp-1', 'coding-plan'],
      ['tp-1', 'token-plan'],
      ['std-1', 'standard'],
      ['default', 'qwen-oauth'],
    ]);
    // OAuth still serves the portal aliases; plan models go to the plans
    await ask(environment, 'coder-model');
    expect(environment.fake.lastRequest('/v1/chat/completions')?.body).toMatchObject({
      model: 'coder-model',
    });
    const logs = environment.logLines.join('\n');
    expect(logs).toContain('Account cp-1 (coding-plan): ok');
  });

  it("sends an account's traffic through its egressProxy", async () => {
    egress = await startFakeEgressProxy({ credentials: 'relay:s3cret' });
    const proxyUrl = `http://relay:s3cret@127.0.0.1:${egress.port}`;
    environment = await startTestEnvironment({
      credentials: 'none',
      ...withThreePlanAccounts({ egressProxyUrl: proxyUrl }),
    });
    await ask(environment, 'qwen3.8-max');
    await ask(environment, 'glm-4.7');
    // only the standard account tunnels, with the proxy's credentials
    expect(egress.records).toEqual([
      {
        method: 'CONNECT',
        target: `127.0.0.1:${environment.fake.port}`,
        credentials: 'relay:s3cret',
      },
    ]);
    const health = await readJson(environment, '/health');
    const standard = (health.accounts as Array<Record<string, unknown>>).find(
      (account) => account.accountId === 'std-1',
    );
    expect(standard?.egressProxy).toBe(`127.0.0.1:${egress.port}`);
    expect(JSON.stringify(health)).not.toContain('s3cret');
    expect(environment.logLines.join('\n')).not.toContain('s3cret');
  });

  it("refreshes an OAuth account's token through its egressProxy too", async () => {
    egress = await startFakeEgressProxy({ credentials: 'relay:s3cret' });
    const proxyUrl = `http://relay:s3cret@127.0.0.1:${egress.port}`;
    environment = await startTestEnvironment({
      credentials: 'none',
      prepareQwenDir: async ({ fake, qwenDir }) => {
        // an expired token: the proxy refreshes it at start-up, before any request
        await fake.writeCredentialsFile({ dir: qwenDir, expiresInSeconds: -60 });
        const path = join(qwenDir, 'accounts.json');
        const accounts = [
          {
            id: 'team',
            type: 'qwen-oauth',
            credentialsPath: join(qwenDir, 'oauth_creds.json'),
            egressProxy: proxyUrl,
          },
        ];
        await writeFile(path, JSON.stringify({ accounts }), { mode: 0o600 });
        planEnv = { QWEN_RELAY_ACCOUNTS: path };
      },
      configureEnv: () => planEnv,
    });
    const { fake } = environment;
    await ask(environment, 'coder-model');
    expect(fake.counters.refreshCalls).toBe(1);
    // two tunnels: the token endpoint's agent and the chat agent, both with the credentials
    expect(egress.records).toHaveLength(2);
    for (const record of egress.records) {
      expect(record).toEqual({
        method: 'CONNECT',
        target: `127.0.0.1:${fake.port}`,
        credentials: 'relay:s3cret',
      });
    }
    expect(environment.logLines.join('\n')).not.toContain('s3cret');
  });

  it('explains plan errors: a general key on Coding Plan, a key of another region, a model outside the plan', async () => {
    environment = await startTestEnvironment({
      credentials: 'none',
      prepareQwenDir: async ({ fake, qwenDir }) => {
        const path = join(qwenDir, 'accounts.json');
        const accounts = [
          {
            id: 'payg-sg',
            type: 'standard',
            region: 'intl',
            // created in Beijing, used in Singapore
            apiKey: fake.issuePlanKey({ type: 'standard', region: 'cn' }),
            baseUrl: fake.planBaseUrl('dashscope-intl'),
            // a name only this account serves (the QWEN_API_KEY account serves the standard list)
            models: ['qwen-long'],
          },
          {
            id: 'cp-stale-list',
            type: 'coding-plan',
            apiKey: fake.issuePlanKey({ type: 'coding-plan' }),
            baseUrl: fake.planBaseUrl('coding-intl'),
            // a stale override naming a model the plan does not serve (and no other account does)
            models: ['qwen3.9-max'],
          },
        ];
        await writeFile(path, JSON.stringify({ accounts }), { mode: 0o600 });
        planEnv = { QWEN_RELAY_ACCOUNTS: path };
      },
      configureEnv: ({ fake }) => ({
        ...planEnv,
        // QWEN_API_KEY with a general key, pointed at the Coding Plan host
        QWEN_API_KEY: fake.issuePlanKey({ type: 'standard' }),
        QWEN_API_BASE_URL: fake.planBaseUrl('coding-intl'),
      }),
    });
    const failure = async (model: string) =>
      (await ask(environment as TestEnvironment, model).catch((error: unknown) => error)) as {
        status: number;
        code: string;
        message: string;
      };

    const generalKey = await failure('glm-5');
    expect(generalKey.status).toBe(401);
    expect(generalKey.message).toContain('invalid access token or token expired');
    expect(generalKey.message).toContain('needs the plan-specific key (sk-sp-…)');

    const wrongRegion = await failure('qwen-long');
    expect(wrongRegion.status).toBe(401);
    expect(wrongRegion.message).toContain('Incorrect API key provided');
    expect(wrongRegion.message).toContain('only work in the region they were created in');
    expect(wrongRegion.message).toContain('(region intl)');

    const outsidePlan = await failure('qwen3.9-max');
    expect(outsidePlan.status).toBe(400);
    expect(outsidePlan.message).toContain("model 'qwen3.9-max' is not supported");
    expect(outsidePlan.message).toContain(
      "Account cp-stale-list (coding-plan) does not serve the model 'qwen3.9-max'",
    );
    // keys never leak into answers or logs
    for (const key of environment.fake.tokensSeen) {
      expect(JSON.stringify([generalKey, wrongRegion, outsidePlan])).not.toContain(key);
      expect(environment.logLines.join('\n')).not.toContain(key);
    }
  });

  it('stops start-up on a bad accounts file with a message naming the entry and field', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'qwen-relay-accounts-'));
    try {
      const path = join(directory, 'accounts.json');
      await writeFile(
        path,
        JSON.stringify({
          accounts: [
            { id: 'ok', type: 'standard', apiKey: 'sk-abc' },
            { id: 'cp-2', type: 'coding-plan', apiKey: 'sk-general-key', regoin: 'intl' },
          ],
        }),
        { mode: 0o600 },
      );
      const child = spawn(process.execPath, [BUILT_PROXY_MAIN, '--port', '0'], {
        env: { PATH: process.env.PATH ?? '', HOME: directory, QWEN_RELAY_ACCOUNTS: path },
        cwd: directory,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (text: string) => {
        stderr += text;
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain(
        `Invalid accounts file ${path}: accounts[1] (id "cp-2"), field "regoin"`,
      );
      expect(stderr).toContain('unknown field');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
