import { faults } from '@qwen-relay/fake-qwen';
import { describe, expect, it } from 'vitest';
import { ModelNotServedError } from '../src/errors/model-not-served-error';
import { AllAccountsCoolingDownError } from '../src/errors/upstream-errors';
import type { UpstreamAccount } from '../src/plans/account-profile';
import { resolveAccountEndpoints } from '../src/plans/resolve-account-endpoints';
import { useFakeHarness } from './helpers/setup-fake';

function planAccount({
  accountId,
  apiKey,
  type,
  baseUrl,
  models,
  modelAliases,
}: {
  accountId: string;
  apiKey: string;
  type: 'coding-plan' | 'standard';
  baseUrl: string;
  models: string[];
  modelAliases?: Record<string, string>;
}): UpstreamAccount {
  // the token carries no resource URL: only the profile's endpoints can reach the plan host
  const token = { accessToken: apiKey, authType: 'api-key' as const };
  return {
    accountId,
    getAccessToken: async () => token,
    invalidate: async (failed) => failed,
    profile: {
      type,
      endpoints: resolveAccountEndpoints({ type, baseUrl }),
      models,
      ...(modelAliases === undefined ? {} : { modelAliases }),
    },
  };
}

const ask = (model: string) => ({
  payload: { model, messages: [{ role: 'user', content: 'hi' }], stream: false },
});

describe('routing by model (loopback against fake-qwen plan hosts)', () => {
  const harness = useFakeHarness();

  it('sends each model to an account serving it, renamed by that account, at its own endpoint', async () => {
    const fake = await harness.startFake({});
    const coding = planAccount({
      accountId: 'cp',
      apiKey: fake.issuePlanKey({ type: 'coding-plan' }),
      type: 'coding-plan',
      baseUrl: fake.planBaseUrl('coding-intl'),
      models: ['glm-4.7', 'shared'],
      modelAliases: { shared: 'qwen3.6-plus' },
    });
    const standard = planAccount({
      accountId: 'std',
      apiKey: fake.issuePlanKey({ type: 'standard' }),
      type: 'standard',
      baseUrl: fake.planBaseUrl('dashscope-intl'),
      models: ['qwen3.8-max', 'shared'],
      modelAliases: { shared: 'qwen3.8-flash' },
    });
    // QWEN_API_BASE_URL-style override must not pull plan accounts off their hosts
    const client = harness.createClient({
      accounts: [coding, standard],
      baseUrlOverride: 'http://127.0.0.1:9/nowhere',
    });

    expect((await client.chatCompletion(ask('glm-4.7'))).accountId).toBe('cp');
    expect((await client.chatCompletion(ask('qwen3.8-max'))).accountId).toBe('std');
    fake.reset();
    const served = [
      (await client.chatCompletion(ask('shared'))).accountId,
      (await client.chatCompletion(ask('shared'))).accountId,
    ];
    expect(served.sort()).toEqual(['cp', 'std']);
    expect(
      fake.requests
        .map((request) => [request.path, (request.body as { model: string }).model])
        .sort(),
    ).toEqual([
      ['/plans/coding-intl/v1/chat/completions', 'qwen3.6-plus'],
      ['/plans/dashscope-intl/compatible-mode/v1/chat/completions', 'qwen3.8-flash'],
    ]);
  });

  it('throws ModelNotServedError (404) with the closest names when no account serves the model', async () => {
    const fake = await harness.startFake({});
    const client = harness.createClient({
      accounts: [
        planAccount({
          accountId: 'cp',
          apiKey: fake.issuePlanKey({ type: 'coding-plan' }),
          type: 'coding-plan',
          baseUrl: fake.planBaseUrl('coding-intl'),
          models: ['glm-4.7', 'glm-5', 'kimi-k2.5'],
        }),
      ],
    });
    const failure = await client.chatCompletion(ask('glm-4.6')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ModelNotServedError);
    expect(failure).toMatchObject({
      status: 404,
      code: 'QWEN_RELAY_MODEL_NOT_FOUND',
      closestModels: ['glm-4.7', 'glm-5', 'kimi-k2.5'],
    });
    expect(fake.counters.chatCalls).toBe(0);
  });

  it('reports a cooldown of the accounts serving the model, not of the others', async () => {
    const fake = await harness.startFake({});
    const coding = planAccount({
      accountId: 'cp',
      apiKey: fake.issuePlanKey({ type: 'coding-plan' }),
      type: 'coding-plan',
      baseUrl: fake.planBaseUrl('coding-intl'),
      models: ['glm-4.7'],
    });
    const standard = planAccount({
      accountId: 'std',
      apiKey: fake.issuePlanKey({ type: 'standard' }),
      type: 'standard',
      baseUrl: fake.planBaseUrl('dashscope-intl'),
      models: ['qwen3.8-max'],
    });
    const client = harness.createClient({
      accounts: [coding, standard],
      retry: { maxAttempts: 1 },
    });
    fake.inject(faults.insufficientQuota());
    await expect(client.chatCompletion(ask('glm-4.7'))).rejects.toMatchObject({ status: 429 });
    const cooling = await client.chatCompletion(ask('glm-4.7')).catch((error: unknown) => error);
    expect(cooling).toBeInstanceOf(AllAccountsCoolingDownError);
    expect((cooling as Error).message).toContain('cp (tokens-per-minute)');
    expect((cooling as Error).message).not.toContain('std');
    // the other plan still serves its own model
    expect((await client.chatCompletion(ask('qwen3.8-max'))).accountId).toBe('std');
  });
});
