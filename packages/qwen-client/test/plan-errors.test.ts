import { describe, expect, it } from 'vitest';
import { UpstreamAuthError, UpstreamBadRequestError } from '../src/errors/upstream-errors';
import type { AccountProfile, UpstreamAccount } from '../src/plans/account-profile';
import { resolveAccountEndpoints } from '../src/plans/resolve-account-endpoints';
import { useFakeHarness } from './helpers/setup-fake';

function keyAccount({
  apiKey,
  profile,
}: {
  apiKey: string;
  profile: AccountProfile;
}): UpstreamAccount {
  const token = { accessToken: apiKey, authType: 'api-key' as const };
  return {
    accountId: 'acct',
    getAccessToken: async () => token,
    invalidate: async (failed) => failed,
    profile,
  };
}

const ask = (model: string) => ({
  payload: { model, messages: [{ role: 'user', content: 'hi' }], stream: false },
});

describe('plan errors explain themselves (loopback against fake-qwen plan hosts)', () => {
  const harness = useFakeHarness();

  it('a general sk- key sent to Coding Plan: 401 with the fix', async () => {
    const fake = await harness.startFake({});
    const client = harness.createClient({
      accounts: [
        keyAccount({
          apiKey: fake.issuePlanKey({ type: 'standard' }),
          profile: {
            type: 'standard',
            endpoints: resolveAccountEndpoints({
              type: 'standard',
              baseUrl: fake.planBaseUrl('coding-intl'),
            }),
          },
        }),
      ],
    });
    const failure = await client.chatCompletion(ask('glm-4.7')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamAuthError);
    expect((failure as Error).message).toMatch(
      /^Upstream rejected the token \(401\): invalid access token or token expired\. .*needs the plan-specific key \(sk-sp-…\)/,
    );
    expect(fake.counters.chatCalls).toBe(1);
  });

  it('a Beijing pay-as-you-go key on the Singapore host: 401 naming the region', async () => {
    const fake = await harness.startFake({});
    const client = harness.createClient({
      accounts: [
        keyAccount({
          apiKey: fake.issuePlanKey({ type: 'standard', region: 'cn' }),
          profile: {
            type: 'standard',
            regionId: 'ap-southeast-1',
            endpoints: resolveAccountEndpoints({
              type: 'standard',
              baseUrl: fake.planBaseUrl('dashscope-intl'),
            }),
          },
        }),
      ],
    });
    const failure = await client
      .chatCompletion(ask('qwen3.8-max'))
      .catch((error: unknown) => error);
    expect((failure as Error).message).toContain('Incorrect API key provided.');
    expect((failure as Error).message).toContain('(region intl)');
    expect((failure as Error).message).toContain('set "region"');
  });

  it("a model outside the plan: the plan's 400 with the fix", async () => {
    const fake = await harness.startFake({});
    const client = harness.createClient({
      accounts: [
        keyAccount({
          apiKey: fake.issuePlanKey({ type: 'coding-plan' }),
          // a wrong models override lets the request through to the plan host
          profile: {
            type: 'coding-plan',
            models: ['qwen3.8-max'],
            endpoints: resolveAccountEndpoints({
              type: 'coding-plan',
              baseUrl: fake.planBaseUrl('coding-intl'),
            }),
          },
        }),
      ],
    });
    const failure = await client
      .chatCompletion(ask('qwen3.8-max'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamBadRequestError);
    expect(failure).toMatchObject({ status: 400 });
    expect((failure as Error).message).toMatch(
      /^model 'qwen3\.8-max' is not supported\. Account acct \(coding-plan\) does not serve the model 'qwen3\.8-max'/,
    );
  });
});
