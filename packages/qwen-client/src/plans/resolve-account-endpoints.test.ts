import { describe, expect, it } from 'vitest';
import { AccountEndpointsError, resolveAccountEndpoints } from './resolve-account-endpoints';

describe('resolveAccountEndpoints', () => {
  it.each([
    ['coding-plan', undefined, 'https://coding-intl.dashscope.aliyuncs.com/v1'],
    ['coding-plan', 'cn', 'https://coding.dashscope.aliyuncs.com/v1'],
    [
      'token-plan',
      'intl',
      'https://token-plan.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1',
    ],
    [
      'token-plan',
      'cn-beijing',
      'https://token-plan.cn-beijing.maas.aliyuncs.com/compatible-mode/v1',
    ],
    ['standard', undefined, 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1'],
    ['standard', 'cn', 'https://dashscope.aliyuncs.com/compatible-mode/v1'],
    ['standard', 'us', 'https://dashscope-us.aliyuncs.com/compatible-mode/v1'],
    ['standard', 'hk', 'https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1'],
  ] as const)('%s in %s → %s', (type, region, openAIBaseUrl) => {
    const endpoints = resolveAccountEndpoints({ type, region });
    expect(endpoints.openAIBaseUrl).toBe(openAIBaseUrl);
    expect(endpoints.anthropicBaseUrl).toBe(`${new URL(openAIBaseUrl).origin}/apps/anthropic`);
    expect(endpoints.responsesUrl).toBe(
      type === 'standard' ? `${openAIBaseUrl}/responses` : undefined,
    );
  });

  it('builds workspace domains for standard accounts', () => {
    expect(resolveAccountEndpoints({ type: 'standard', workspace: 'WS1', region: 'intl' })).toEqual(
      {
        openAIBaseUrl: 'https://ws1.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1',
        anthropicBaseUrl: 'https://ws1.ap-southeast-1.maas.aliyuncs.com/apps/anthropic',
        responsesUrl: 'https://ws1.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1/responses',
      },
    );
    expect(
      resolveAccountEndpoints({ type: 'standard', workspace: 'w2', region: 'ap-northeast-1' })
        .openAIBaseUrl,
    ).toBe('https://w2.ap-northeast-1.maas.aliyuncs.com/compatible-mode/v1');
  });

  it('keeps overrides, deriving the Anthropic base from a path-prefixed baseUrl', () => {
    expect(
      resolveAccountEndpoints({ type: 'token-plan', baseUrl: 'http://gw:1/x/compatible-mode/v1/' }),
    ).toEqual({
      openAIBaseUrl: 'http://gw:1/x/compatible-mode/v1',
      anthropicBaseUrl: 'http://gw:1/x/apps/anthropic',
    });
    expect(
      resolveAccountEndpoints({
        type: 'coding-plan',
        anthropicBaseUrl: 'https://elsewhere.example/anthropic',
      }).anthropicBaseUrl,
    ).toBe('https://elsewhere.example/anthropic');
  });

  it.each([
    [{ type: 'coding-plan', region: 'us' }, 'region'],
    [{ type: 'token-plan', workspace: 'w' }, 'workspace'],
    [{ type: 'standard', workspace: 'w', region: 'mars-1' }, 'region'],
    [{ type: 'standard', workspace: 'bad id' }, 'workspace'],
    [{ type: 'standard', baseUrl: 'ftp://x' }, 'baseUrl'],
    [{ type: 'standard', baseUrl: 'https://user:pw@x/v1' }, 'baseUrl'],
    [{ type: 'standard', anthropicBaseUrl: 'nope' }, 'anthropicBaseUrl'],
  ] as const)('rejects %o naming the field', (options, field) => {
    expect(() => resolveAccountEndpoints(options)).toThrow(AccountEndpointsError);
    try {
      resolveAccountEndpoints(options);
    } catch (error) {
      expect((error as AccountEndpointsError).field).toBe(field);
      expect((error as Error).message).not.toContain('pw');
    }
  });
});
