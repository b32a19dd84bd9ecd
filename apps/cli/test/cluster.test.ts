import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRedisStateStore, type StateStore } from '@qwen-relay/state-store';
import {
  type RedisServerHandle,
  skipRedisTests,
  startRedisServer,
} from '@qwen-relay/state-store/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runInProcess } from './helpers/create-test-io';
import { useFakeQwenEnvironment } from './helpers/use-fake-qwen-environment';

describe.skipIf(skipRedisTests)('qwen-relay cluster import | status (real redis-server)', () => {
  const setup = useFakeQwenEnvironment();
  let redis: RedisServerHandle;
  let store: StateStore;
  let prefix = 0;
  let env: Record<string, string>;
  let planKey: string;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await store?.close();
    await redis?.stop();
  });
  beforeEach(async () => {
    prefix += 1;
    await store?.close();
    store = createRedisStateStore({ url: redis.url, keyPrefix: `t${prefix}:` });
    planKey = setup.fake.issuePlanKey({ type: 'coding-plan' });
    const accountsPath = join(setup.dir, 'accounts.json');
    await writeFile(
      accountsPath,
      JSON.stringify({
        accounts: [
          {
            id: 'cp-1',
            type: 'coding-plan',
            apiKeyEnv: 'MY_PLAN_KEY',
            baseUrl: setup.fake.planBaseUrl('coding-intl'),
            tier: 'lite',
          },
        ],
      }),
      { mode: 0o600 },
    );
    await setup.fake.writeCredentialsFile({ dir: setup.dir });
    env = {
      QWEN_DIR: setup.dir,
      QWEN_RELAY_ACCOUNTS: accountsPath,
      MY_PLAN_KEY: planKey,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `t${prefix}:`,
      STATE_DIR: join(setup.dir, 'state'),
    };
  });

  it('copies the accounts file (keys inline) and the OAuth files into Redis, without asking when not in a terminal', async () => {
    const { code, stdout, questions } = await runInProcess({ args: ['cluster', 'import'], env });
    expect(code).toBe(0);
    expect(questions).toEqual([]);
    expect(stdout).toContain('default (qwen-oauth): credentials created');
    expect(stdout).toContain('cp-1 (coding-plan): key copied');
    expect(stdout).not.toContain(planKey);
    const document = JSON.parse((await store.get('cluster:accounts'))!);
    expect(document.accounts).toEqual([
      expect.objectContaining({ id: 'cp-1', type: 'coding-plan', apiKey: planKey, tier: 'lite' }),
      { id: 'default', type: 'qwen-oauth' },
    ]);
    expect(document.accounts[0]).not.toHaveProperty('apiKeyEnv');
    const record = JSON.parse((await store.get('credentials:default'))!);
    expect(record.version).toBe(1);
    // importing the same again changes nothing
    const again = await runInProcess({ args: ['cluster', 'import'], env });
    expect(again.stdout).toContain('default (qwen-oauth): credentials unchanged');
    expect(JSON.parse((await store.get('credentials:default'))!).version).toBe(1);
  });

  it('asks first in a terminal, and writes nothing on no', async () => {
    const { code, stdout, questions } = await runInProcess({
      args: ['cluster', 'import'],
      env,
      interactive: true,
      answer: false,
    });
    expect(code).toBe(0);
    expect(questions[0]).toMatch(/Copy 2 account\(s\) to the cluster at redis:\/\/127\.0\.0\.1/);
    expect(stdout).toContain('Nothing was written.');
    expect(await store.get('cluster:accounts')).toBeUndefined();
  });

  it('shows accounts, credential versions and windows, never a secret', async () => {
    await runInProcess({ args: ['cluster', 'import'], env });
    const text = await runInProcess({ args: ['cluster', 'status'], env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/default \(qwen-oauth\): credentials v1, expires in \d+ s/);
    expect(text.stdout).toContain('cp-1 (coding-plan): key');
    expect(text.stdout).toMatch(/5h {2}░{20} 0\/1200/);
    expect(text.stdout).not.toContain(planKey);
    const json = JSON.parse(
      (await runInProcess({ args: ['cluster', 'status', '--json'], env })).stdout,
    );
    expect(json.replicas).toEqual([]);
    expect(json.accounts.map((account: { id: string }) => account.id)).toEqual(['cp-1', 'default']);
    expect(JSON.stringify(json)).not.toContain(planKey);
  });

  it('says how to configure the cluster when REDIS_URL is missing', async () => {
    const { REDIS_URL: _url, ...withoutRedis } = env;
    const { code, stderr } = await runInProcess({ args: ['cluster', 'status'], env: withoutRedis });
    expect(code).toBe(2);
    expect(stderr).toContain('REDIS_URL is not set');
  });
});
