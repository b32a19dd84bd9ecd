import { describe, expect, it } from 'vitest';
import { explainPlanFailure } from './explain-plan-failure';
import { resolveAccountEndpoints } from './resolve-account-endpoints';

const standard = {
  type: 'standard' as const,
  regionId: 'ap-southeast-1',
  endpoints: resolveAccountEndpoints({ type: 'standard' }),
};
const coding = {
  type: 'coding-plan' as const,
  endpoints: resolveAccountEndpoints({ type: 'coding-plan' }),
};

describe('explainPlanFailure', () => {
  const explain = (options: Partial<Parameters<typeof explainPlanFailure>[0]>) =>
    explainPlanFailure({
      accountId: 'acct',
      profile: coding,
      apiKey: 'sk-abc',
      status: 401,
      message: 'invalid access token or token expired',
      ...options,
    });

  it('a general sk- key on a Coding Plan host', () => {
    const text = explain({ profile: { ...standard, endpoints: coding.endpoints } });
    expect(text).toContain('coding-intl.dashscope.aliyuncs.com is a Coding Plan host');
    expect(text).toContain('sk-sp-');
  });

  it('an sk-sp- key the Coding Plan refuses: expired plan or bad copy', () => {
    expect(explain({ apiKey: 'sk-sp-abc' })).toContain('subscription may have expired');
  });

  it('a pay-as-you-go key of another region', () => {
    const text = explain({ profile: standard, message: 'Incorrect API key provided.' });
    expect(text).toContain('region they were created in');
    expect(text).toContain('dashscope-intl.aliyuncs.com (region intl)');
  });

  it('a plan key on the general-purpose host', () => {
    expect(explain({ profile: standard, status: 403, message: 'invalid api-key' })).toContain(
      'type "coding-plan"',
    );
  });

  it('a model outside the plan', () => {
    expect(explain({ status: 400, message: "model 'qwen3.8-max' is not supported" })).toContain(
      "does not serve the model 'qwen3.8-max'",
    );
  });

  it('nothing for OAuth accounts or ordinary failures, and never the key', () => {
    expect(explain({ profile: { type: 'qwen-oauth' } })).toBeUndefined();
    expect(explain({ profile: undefined })).toBeUndefined();
    expect(explain({ status: 500, message: 'boom' })).toBeUndefined();
    expect(explain({ apiKey: 'sk-very-secret' })).not.toContain('sk-very-secret');
  });
});
