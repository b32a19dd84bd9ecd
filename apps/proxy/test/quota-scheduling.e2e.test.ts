import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { type FakeLimitKind, type FakeQwen, faults, startFakeQwen } from '@qwen-relay/fake-qwen';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningProxy } from '../src/index';
import { loadBuiltProxy } from './support/load-built-proxy';
import { parsePrometheusText } from './support/parse-prometheus-text';

const MODEL = 'qwen3.6-plus';

interface Scene {
  fake: FakeQwen;
  dir: string;
  keys: Record<string, string>;
  env: Record<string, string>;
  proxy: RunningProxy;
  openai: OpenAI;
}

const scenes: Scene[] = [];
afterEach(async () => {
  for (const scene of scenes.splice(0)) {
    await scene.proxy.close().catch(() => undefined);
    await scene.fake.close();
    await rm(scene.dir, { recursive: true, force: true });
  }
});

type AccountSpec = {
  id: string;
  type: 'coding-plan' | 'token-plan' | 'standard';
  limits?: Record<string, number>;
};
const hostOf = {
  'coding-plan': 'coding-intl',
  'token-plan': 'token-plan-intl',
  standard: 'dashscope-intl',
} as const;

/** A fake with plan hosts, an accounts file of `accounts`, and the built proxy on a temp STATE_DIR. */
async function startScene(
  accounts: AccountSpec[],
  extraEnv: Record<string, string> = {},
): Promise<Scene> {
  const fake = await startFakeQwen();
  const dir = await mkdtemp(join(tmpdir(), 'qwen-relay-quota-'));
  const keys: Record<string, string> = {};
  const entries = accounts.map((account) => {
    keys[account.id] = fake.issuePlanKey({ type: account.type });
    return {
      id: account.id,
      type: account.type,
      apiKey: keys[account.id],
      baseUrl: fake.planBaseUrl(hostOf[account.type]),
      models: [MODEL],
      ...(account.limits === undefined ? {} : { limits: account.limits }),
    };
  });
  const accountsPath = join(dir, 'accounts.json');
  await writeFile(accountsPath, JSON.stringify({ accounts: entries }), { mode: 0o600 });
  const env = {
    PORT: '0',
    QWEN_DIR: dir,
    STATE_DIR: join(dir, 'state'),
    QWEN_RELAY_ACCOUNTS: accountsPath,
    QWEN_OAUTH_BASE_URL: fake.url,
    LOG_LEVEL: 'silent',
    RETRY_BASE_DELAY_MS: '10',
    RETRY_MAX_DELAY_MS: '50',
    ...extraEnv,
  };
  const scene = { fake, dir, keys, env, ...(await startProxyOn(env)) };
  scenes.push(scene);
  return scene;
}

async function startProxyOn(env: Record<string, string>) {
  const { parseProxyConfig, startProxy } = await loadBuiltProxy();
  const proxy = await startProxy({ ...parseProxyConfig({ env }), writeLogLine: () => undefined });
  const apiKey = env.PROXY_API_KEYS?.split(',')[0]?.split(':')[1] ?? 'unused';
  return { proxy, openai: new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey, maxRetries: 0 }) };
}

const ask = (openai: OpenAI, text: string, extra: { user?: string } = {}) =>
  openai.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: text }],
    ...extra,
  });

const REQUEST_ACCOUNT_IDS = ['cp-1', 'tp-1', 'std-1'];

const bearersUsed = (fake: FakeQwen, pathEnds = ['/chat/completions', '/responses']) =>
  fake.requests
    .filter((request) => pathEnds.some((pathEnd) => request.path.endsWith(pathEnd)))
    .map((request) => request.bearer);

async function readHealth(proxy: RunningProxy) {
  return (await (await fetch(`${proxy.url}/health`)).json()) as {
    accounts: Array<{
      accountId: string;
      cooldownReason?: string;
      coolingDownUntil?: string;
      windows?: Array<{
        name: string;
        used: number;
        limit?: number;
        spent: boolean;
        resetsAt: string;
      }>;
    }>;
  };
}

/** The sample with exactly these labels (all given labels match), or undefined. */
function metricValue(
  metrics: ReturnType<typeof parsePrometheusText>,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  return metrics.samples.find(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  )?.value;
}

async function readMetrics(proxy: RunningProxy) {
  return parsePrometheusText(await (await fetch(`${proxy.url}/metrics`)).text());
}

describe('quota-aware scheduling (built proxy, fake plan hosts)', () => {
  const cases: Array<{ kind: FakeLimitKind; target: string; reason: string }> = [
    { kind: 'requests-per-minute', target: 'tp-1', reason: 'requests-per-minute' },
    { kind: 'tokens-per-minute', target: 'tp-1', reason: 'tokens-per-minute' },
    { kind: 'burst', target: 'tp-1', reason: 'burst' },
    { kind: 'free-quota-exhausted', target: 'std-1', reason: 'free-quota-exhausted' },
    { kind: 'plan-window-5h', target: 'cp-1', reason: 'plan-window' },
  ];
  for (const { kind, target, reason } of cases) {
    it(`moves traffic off an account that hit ${kind}; every request succeeds`, async () => {
      const scene = await startScene([
        { id: 'cp-1', type: 'coding-plan' },
        { id: 'tp-1', type: 'token-plan' },
        { id: 'std-1', type: 'standard' },
      ]);
      scene.fake.inject(
        faults.limit(kind, { bearer: scene.keys[target]!, times: Number.POSITIVE_INFINITY }),
      );
      for (let index = 0; index < 9; index++) {
        const completion = await ask(scene.openai, `conversation ${index}`);
        expect(completion.choices[0]?.message.content).toBeTruthy();
      }
      // the limited account was tried once, then left alone
      expect(
        bearersUsed(scene.fake).filter((bearer) => bearer === scene.keys[target]),
      ).toHaveLength(1);
      const health = await readHealth(scene.proxy);
      const limited = health.accounts.find((account) => account.accountId === target);
      expect(limited?.cooldownReason).toBe(reason);
      const cooldownInMs = Date.parse(limited?.coolingDownUntil ?? '') - Date.now();
      if (kind === 'burst') expect(cooldownInMs).toBeLessThanOrEqual(5_000);
      if (kind === 'plan-window-5h') {
        // no Retry-After: cooled until the window frees capacity (within 5 h 10 min)
        expect(cooldownInMs).toBeGreaterThan(4 * 3_600_000);
        expect(cooldownInMs).toBeLessThanOrEqual((5 * 60 + 10) * 60_000);
        expect(limited?.windows?.find((window) => window.name === '5h')?.spent).toBe(true);
      }
      const metrics = await readMetrics(scene.proxy);
      expect(
        metricValue(metrics, 'qwen_relay_upstream_limits_total', { account: target, kind: reason }),
      ).toBe(1);
    });
  }

  it('Retry-After from upstream wins over the estimate', async () => {
    const scene = await startScene([
      { id: 'cp-1', type: 'coding-plan' },
      { id: 'cp-2', type: 'coding-plan' },
    ]);
    scene.fake.inject(
      faults.limit('plan-window-7d', {
        bearer: scene.keys['cp-1']!,
        retryAfterInSeconds: 120,
        times: Number.POSITIVE_INFINITY,
      }),
    );
    for (let index = 0; index < 4; index++) await ask(scene.openai, `turn ${index}`);
    const health = await readHealth(scene.proxy);
    const until = Date.parse(
      health.accounts.find((account) => account.accountId === 'cp-1')?.coolingDownUntil ?? '',
    );
    expect(until - Date.now()).toBeLessThanOrEqual(120_000);
    expect(until - Date.now()).toBeGreaterThan(60_000);
  });

  it('counts plan windows, stops at the limit with 429 + Retry-After, and keeps counts across a restart', async () => {
    const scene = await startScene([
      { id: 'cp-1', type: 'coding-plan', limits: { '5h': 2 } },
      { id: 'cp-2', type: 'coding-plan', limits: { '5h': 3, '7d': 100 } },
    ]);
    for (let index = 0; index < 5; index++) await ask(scene.openai, `q ${index}`);
    expect(bearersUsed(scene.fake)).toHaveLength(5);
    const health = await readHealth(scene.proxy);
    expect(health.accounts.find((account) => account.accountId === 'cp-2')?.windows).toEqual([
      expect.objectContaining({ name: '5h', used: 3, limit: 3, spent: true }),
      expect.objectContaining({ name: '7d', used: 3, limit: 100, spent: false }),
    ]);

    const refused = await ask(scene.openai, 'one more').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const retryAfter = Number(
      (refused as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after'),
    );
    // the oldest counted 10-minute bucket leaves the 5 h window between 4 h 50 min and 5 h 10 min from now
    expect(retryAfter).toBeGreaterThan(4 * 3600 + 49 * 60);
    expect(retryAfter).toBeLessThanOrEqual(5 * 3600 + 10 * 60);
    expect((refused as Error).message).toContain('5h window spent');
    // nothing was sent upstream for the refused request
    expect(bearersUsed(scene.fake)).toHaveLength(5);

    await scene.proxy.close();
    const restarted = await startProxyOn(scene.env);
    scene.proxy = restarted.proxy;
    const afterRestart = await ask(restarted.openai, 'after restart').catch(
      (error: unknown) => error,
    );
    expect(afterRestart).toBeInstanceOf(OpenAI.RateLimitError);
    expect(bearersUsed(scene.fake)).toHaveLength(5);
  });

  it('keeps a conversation on one account and spreads different conversations', async () => {
    const scene = await startScene([
      { id: 'cp-1', type: 'coding-plan' },
      { id: 'tp-1', type: 'token-plan' },
      { id: 'std-1', type: 'standard' },
    ]);
    const conversation = (turns: number) =>
      scene.openai.chat.completions.create({
        model: MODEL,
        messages: [
          { role: 'system', content: 'You are a careful coding agent.' },
          { role: 'user', content: 'Refactor the parser.' },
          ...Array.from({ length: turns }, (_, turn) => ({
            role: 'user' as const,
            content: `turn ${turn}`,
          })),
        ],
      });
    for (let turns = 0; turns < 6; turns++) await conversation(turns);
    expect(new Set(bearersUsed(scene.fake)).size).toBe(1);
    scene.fake.reset();
    for (let index = 0; index < 3; index++) await ask(scene.openai, `other conversation ${index}`);
    expect(new Set(bearersUsed(scene.fake)).size).toBeGreaterThan(1);
    // the client's `user` is a conversation too
    scene.fake.reset();
    for (let index = 0; index < 4; index++)
      await ask(scene.openai, `q ${index}`, { user: 'agent-7' });
    expect(new Set(bearersUsed(scene.fake)).size).toBe(1);
  });

  it('keeps a Responses conversation on one account and counts it per client', async () => {
    const scene = await startScene(
      [
        { id: 'cp-1', type: 'coding-plan' },
        { id: 'tp-1', type: 'token-plan' },
        { id: 'std-1', type: 'standard' },
      ],
      { PROXY_API_KEYS: 'codex:key-codex' },
    );
    // a Codex session: the same instructions and first input, a growing tail, JSON and SSE
    const turn = async (turns: number) => {
      const request = {
        model: MODEL,
        instructions: 'You are Codex, a coding agent.',
        input: [
          { role: 'user' as const, content: 'Fix the failing test.' },
          ...Array.from({ length: turns }, (_, index) => ({
            role: 'user' as const,
            content: `turn ${index}`,
          })),
        ],
        store: false,
      };
      if (turns % 2 === 0) return scene.openai.responses.create(request);
      const stream = scene.openai.responses.stream(request);
      return stream.finalResponse();
    };
    for (let turns = 0; turns < 6; turns++) {
      expect((await turn(turns)).status).toBe('completed');
    }
    expect(new Set(bearersUsed(scene.fake)).size).toBe(1);
    const metrics = await readMetrics(scene.proxy);
    const served = REQUEST_ACCOUNT_IDS.map((account) =>
      metricValue(metrics, 'qwen_relay_usage_requests_total', {
        account,
        model: MODEL,
        client: 'codex',
      }),
    ).filter((value) => value !== undefined);
    expect(served).toEqual([6]);
  });

  it('keeps a Claude Code conversation (/v1/messages) on one account by metadata.user_id, and counts it', async () => {
    const scene = await startScene([
      { id: 'cp-1', type: 'coding-plan' },
      { id: 'tp-1', type: 'token-plan' },
      { id: 'std-1', type: 'standard' },
    ]);
    const anthropic = new Anthropic({ baseURL: scene.proxy.url, apiKey: 'unused', maxRetries: 0 });
    const send = (text: string, userId?: string) =>
      anthropic.messages.create({
        model: MODEL,
        max_tokens: 64,
        system: [{ type: 'text', text: `You are agent ${text}.` }],
        messages: [{ role: 'user', content: text }],
        ...(userId === undefined ? {} : { metadata: { user_id: userId } }),
      });
    // every turn differs in system and text: only metadata.user_id ties them together
    for (let turn = 0; turn < 5; turn++) await send(`turn ${turn}`, 'user_abc_session_1');
    expect(new Set(bearersUsed(scene.fake, ['/v1/messages'])).size).toBe(1);
    scene.fake.reset();
    for (let index = 0; index < 3; index++) await send(`other conversation ${index}`);
    expect(new Set(bearersUsed(scene.fake, ['/v1/messages'])).size).toBeGreaterThan(1);
    const metrics = await readMetrics(scene.proxy);
    const served = metrics.samples
      .filter(
        (sample) =>
          sample.name === 'qwen_relay_usage_requests_total' &&
          sample.labels.model === MODEL &&
          sample.labels.client === 'anonymous',
      )
      .reduce((sum, sample) => sum + sample.value, 0);
    expect(served).toBe(8);
    expect(
      metricValue(metrics, 'qwen_relay_usage_tokens_total', {
        client: 'anonymous',
        kind: 'prompt',
      }),
    ).toBeGreaterThan(0);
  });

  it('counts requests and tokens per client key name, account and model', async () => {
    const scene = await startScene([{ id: 'cp-1', type: 'coding-plan' }], {
      PROXY_API_KEYS: 'alice:key-alice,bob:key-bob,key-anon',
    });
    const as = (apiKey: string) =>
      new OpenAI({ baseURL: `${scene.proxy.url}/v1`, apiKey, maxRetries: 0 });
    await ask(as('key-alice'), 'a1');
    await ask(as('key-alice'), 'a2');
    await ask(as('key-bob'), 'b1');
    await ask(as('key-anon'), 'n1');
    const metrics = parsePrometheusText(
      await (
        await fetch(`${scene.proxy.url}/metrics`, {
          headers: { authorization: 'Bearer key-alice' },
        })
      ).text(),
    );
    const labels = { account: 'cp-1', model: MODEL };
    expect(
      metricValue(metrics, 'qwen_relay_usage_requests_total', { ...labels, client: 'alice' }),
    ).toBe(2);
    expect(
      metricValue(metrics, 'qwen_relay_usage_requests_total', { ...labels, client: 'bob' }),
    ).toBe(1);
    expect(
      metricValue(metrics, 'qwen_relay_usage_requests_total', { ...labels, client: 'anonymous' }),
    ).toBe(1);
    expect(
      metricValue(metrics, 'qwen_relay_usage_tokens_total', {
        ...labels,
        client: 'alice',
        kind: 'prompt',
      }),
    ).toBeGreaterThan(0);
    // the name is never mistaken for part of the key
    await expect(ask(as('alice:key-alice'), 'x')).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });
});
