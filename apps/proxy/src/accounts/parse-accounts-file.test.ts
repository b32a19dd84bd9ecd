import { describe, expect, it } from 'vitest';
import { AccountsFileError } from './accounts-file-error';
import { parseAccountsFile } from './parse-accounts-file';

const path = '/home/me/.qwen-relay/accounts.json';
const qwenDir = '/home/me/.qwen';
const codingKey = 'sk-sp-0123456789abcdef0123456789abcdef';
const standardKey = 'sk-0123456789abcdef0123456789abcdef';

function parse(accounts: unknown[], env: Record<string, string> = {}) {
  return parseAccountsFile({ text: JSON.stringify({ accounts }), path, env, qwenDir });
}

function failure(accounts: unknown[], env: Record<string, string> = {}): AccountsFileError {
  try {
    parse(accounts, env);
  } catch (error) {
    if (error instanceof AccountsFileError) return error;
    throw error;
  }
  throw new Error('expected an AccountsFileError');
}

describe('parseAccountsFile', () => {
  it('resolves every account type with its preset hosts', () => {
    const accounts = parse(
      [
        { id: 'cp-1', type: 'coding-plan', apiKey: codingKey, tier: 'pro', limits: { '5h': 6000 } },
        { id: 'tp', type: 'token-plan', region: 'cn', apiKeyEnv: 'TOKEN_PLAN_KEY', weight: 2 },
        { id: 'std', type: 'standard', region: 'us', apiKey: standardKey, models: ['qwen3.8-max'] },
        {
          id: 'ws',
          type: 'standard',
          workspace: 'ws-42',
          region: 'eu-central-1',
          apiKey: standardKey,
        },
        { id: 'me', type: 'qwen-oauth' },
      ],
      { TOKEN_PLAN_KEY: 'tp-secret-key' },
    );
    expect(accounts.map((account) => account.endpoints?.openAIBaseUrl)).toEqual([
      'https://coding-intl.dashscope.aliyuncs.com/v1',
      'https://token-plan.cn-beijing.maas.aliyuncs.com/compatible-mode/v1',
      'https://dashscope-us.aliyuncs.com/compatible-mode/v1',
      'https://ws-42.eu-central-1.maas.aliyuncs.com/compatible-mode/v1',
      undefined,
    ]);
    expect(accounts[0]).toMatchObject({
      apiKey: codingKey,
      tier: 'pro',
      limits: { '5h': 6000 },
      endpoints: { anthropicBaseUrl: 'https://coding-intl.dashscope.aliyuncs.com/apps/anthropic' },
    });
    expect(accounts[0]?.endpoints?.responsesUrl).toBeUndefined();
    expect(accounts[1]).toMatchObject({
      apiKey: 'tp-secret-key',
      apiKeyEnv: 'TOKEN_PLAN_KEY',
      weight: 2,
    });
    expect(accounts[2]?.endpoints).toEqual({
      openAIBaseUrl: 'https://dashscope-us.aliyuncs.com/compatible-mode/v1',
      anthropicBaseUrl: 'https://dashscope-us.aliyuncs.com/apps/anthropic',
      responsesUrl: 'https://dashscope-us.aliyuncs.com/compatible-mode/v1/responses',
    });
    expect(accounts[4]?.credentialsPath).toBe('/home/me/.qwen/oauth_creds_me.json');
  });

  it('keeps a baseUrl override and derives the Anthropic base from it', () => {
    const [account] = parse([
      {
        id: 'gw',
        type: 'coding-plan',
        apiKey: codingKey,
        baseUrl: 'http://127.0.0.1:9000/plans/coding-intl/v1/',
      },
    ]);
    expect(account?.endpoints).toEqual({
      openAIBaseUrl: 'http://127.0.0.1:9000/plans/coding-intl/v1',
      anthropicBaseUrl: 'http://127.0.0.1:9000/plans/coding-intl/apps/anthropic',
    });
  });

  it.each([
    [
      [{ id: 'a', type: 'coding-plan', apiKey: codingKey, colour: 'red' }],
      'colour',
      'unknown field',
    ],
    [[{ type: 'standard', apiKey: standardKey }], 'id', 'required'],
    [[{ id: 'a', type: 'gold', apiKey: standardKey }], 'type', 'one of coding-plan'],
    [[{ id: 'a', type: 'coding-plan', apiKey: standardKey }], 'apiKey', 'sk-sp-'],
    [[{ id: 'a', type: 'standard', apiKey: codingKey }], 'apiKey', 'use type coding-plan'],
    [[{ id: 'a', type: 'standard' }], 'apiKey', 'exactly one of apiKey'],
    [[{ id: 'a', type: 'standard', apiKeyEnv: 'NOT_SET_ANYWHERE' }], 'apiKeyEnv', 'is not set'],
    [
      [{ id: 'a', type: 'coding-plan', region: 'us', apiKey: codingKey }],
      'region',
      'no host in region',
    ],
    [
      [{ id: 'a', type: 'coding-plan', workspace: 'w1', apiKey: codingKey }],
      'workspace',
      'no workspace',
    ],
    [
      [{ id: 'a', type: 'standard', apiKey: standardKey, weight: 0 }],
      'weight',
      'integer from 1 to 100',
    ],
    [[{ id: 'a', type: 'standard', apiKey: standardKey, models: [] }], 'models', 'non-empty array'],
    [[{ id: 'a', type: 'standard', apiKey: standardKey, tier: 'max' }], 'tier', 'lite, pro'],
    [
      [{ id: 'a', type: 'standard', apiKey: standardKey, limits: { '1h': 5 } }],
      'limits.1h',
      'unknown window',
    ],
    [
      [{ id: 'a', type: 'standard', apiKey: standardKey, limits: { '5h': -1 } }],
      'limits.5h',
      'positive integer',
    ],
    [
      [{ id: 'a', type: 'standard', apiKey: standardKey, egressProxy: 'socks5://h:1' }],
      'egressProxy',
      'http(s) proxy URL',
    ],
    [[{ id: 'a', type: 'qwen-oauth', apiKey: standardKey }], 'apiKey', 'credentials file'],
    [
      [{ id: 'a', type: 'standard', apiKey: standardKey, credentialsPath: '/x.json' }],
      'credentialsPath',
      'apiKey or apiKeyEnv',
    ],
    [
      [
        { id: 'a', type: 'standard', apiKey: standardKey },
        { id: 'a', type: 'coding-plan', apiKey: codingKey },
      ],
      'id',
      'already used',
    ],
  ])('names the entry and field of an invalid entry (%#)', (accounts, field, problem) => {
    const error = failure(accounts);
    expect(error.field).toBe(field);
    expect(error.setting).toBe('QWEN_RELAY_ACCOUNTS');
    expect(error.message).toContain(`field "${field}"`);
    expect(error.message).toContain(problem);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/accounts\[\d\]/);
    // never the key itself
    expect(error.message).not.toContain(codingKey);
    expect(error.message).not.toContain(standardKey);
  });

  it('names the entry by index and id', () => {
    const error = failure([
      { id: 'ok', type: 'standard', apiKey: standardKey },
      { id: 'cp-2', type: 'coding-plan', apiKey: standardKey },
    ]);
    expect(error.entryIndex).toBe(1);
    expect(error.message).toContain('accounts[1] (id "cp-2"), field "apiKey"');
  });

  it('never echoes an egress proxy URL, which carries a password', () => {
    const error = failure([
      { id: 'a', type: 'standard', apiKey: standardKey, egressProxy: 'ftp://user:hunter2@h:1' },
    ]);
    expect(error.message).not.toContain('hunter2');
  });

  it('rejects a document that is not {"accounts": [...]}', () => {
    expect(() => parseAccountsFile({ text: '{', path, env: {}, qwenDir })).toThrow(
      /not valid JSON/,
    );
    expect(() => parseAccountsFile({ text: '[]', path, env: {}, qwenDir })).toThrow(
      /expected an object/,
    );
    expect(() =>
      parseAccountsFile({ text: '{"accounts": [], "extra": 1}', path, env: {}, qwenDir }),
    ).toThrow(/field "extra"/);
  });
});
