import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { isRecord } from '@qwen-relay/contracts';
import {
  ACCOUNT_TYPES,
  AccountEndpointsError,
  checkKeyFormat,
  isAccountType,
  resolveAccountEndpoints,
} from '@qwen-relay/qwen-client';
import { getCredentialsPath } from '@qwen-relay/token-manager';
import {
  ACCOUNT_LIMIT_WINDOWS,
  ACCOUNT_TIERS,
  type AccountConfig,
  type AccountLimits,
} from './account-config';
import { AccountsFileError } from './accounts-file-error';

/** The fields an entry may have; anything else is an error (a typo would otherwise go unnoticed). */
export const ACCOUNT_ENTRY_FIELDS = [
  'id',
  'type',
  'region',
  'workspace',
  'apiKey',
  'apiKeyEnv',
  'credentialsPath',
  'baseUrl',
  'anthropicBaseUrl',
  'models',
  'weight',
  'egressProxy',
  'tier',
  'limits',
] as const;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses and validates an accounts file (`{"accounts": [...]}`): every field of every entry is
 * checked, keys come from `apiKey` or the variable named by `apiKeyEnv`, key prefixes must fit
 * the type, and endpoints are resolved. The first problem throws an AccountsFileError naming
 * the entry and the field; its message never contains a key.
 */
export function parseAccountsFile({
  text,
  path,
  env,
  qwenDir,
}: {
  text: string;
  path: string;
  env: Readonly<Record<string, string | undefined>>;
  qwenDir: string;
}): AccountConfig[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new AccountsFileError({ path, problem: `not valid JSON (${(error as Error).message}).` });
  }
  if (!isRecord(document)) {
    throw new AccountsFileError({ path, problem: 'expected an object {"accounts": [...]}.' });
  }
  for (const key of Object.keys(document)) {
    if (key !== 'accounts') {
      throw new AccountsFileError({ path, field: key, problem: 'unknown top-level field.' });
    }
  }
  if (!Array.isArray(document.accounts)) {
    throw new AccountsFileError({ path, field: 'accounts', problem: 'expected an array.' });
  }
  const seen = new Set<string>();
  return document.accounts.map((entry: unknown, entryIndex: number) => {
    const account = parseEntry({ entry, entryIndex, path, env, qwenDir });
    if (seen.has(account.id)) {
      throw new AccountsFileError({
        path,
        entryIndex,
        entryId: account.id,
        field: 'id',
        problem: 'this id is already used by an earlier entry; ids must be unique.',
      });
    }
    seen.add(account.id);
    return account;
  });
}

function parseEntry({
  entry,
  entryIndex,
  path,
  env,
  qwenDir,
}: {
  entry: unknown;
  entryIndex: number;
  path: string;
  env: Readonly<Record<string, string | undefined>>;
  qwenDir: string;
}): AccountConfig {
  if (!isRecord(entry)) {
    throw new AccountsFileError({ path, entryIndex, problem: 'expected an object.' });
  }
  const entryId = typeof entry.id === 'string' ? entry.id : undefined;
  const fail = (field: string, problem: string): never => {
    throw new AccountsFileError({
      path,
      entryIndex,
      ...(entryId === undefined ? {} : { entryId }),
      field,
      problem,
    });
  };
  for (const key of Object.keys(entry)) {
    if (!(ACCOUNT_ENTRY_FIELDS as readonly string[]).includes(key)) {
      fail(key, `unknown field; an entry may have ${ACCOUNT_ENTRY_FIELDS.join(', ')}.`);
    }
  }
  const readString = (field: string): string | undefined => {
    const value = entry[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '')
      fail(field, 'expected a non-empty string.');
    return (value as string).trim();
  };

  const id = readString('id') ?? fail('id', 'required (a name for this account, e.g. "cp-1").');
  if (!ID_PATTERN.test(id)) {
    fail(
      'id',
      'use letters, digits, ".", "_" and "-" (at most 64, starting with a letter or digit).',
    );
  }
  const type = entry.type;
  if (!isAccountType(type)) {
    return fail('type', `required, one of ${ACCOUNT_TYPES.join(', ')}.`);
  }
  const region = readString('region');
  const workspace = readString('workspace');
  const baseUrl = readString('baseUrl');
  const anthropicBaseUrl = readString('anthropicBaseUrl');
  const credentialsPath = readString('credentialsPath');
  const config: AccountConfig = { id, type, origin: `accounts[${entryIndex}] of ${path}` };

  const models = entry.models;
  if (models !== undefined) {
    if (
      !Array.isArray(models) ||
      models.length === 0 ||
      !models.every((model) => typeof model === 'string' && model.trim() !== '')
    ) {
      fail('models', 'expected a non-empty array of model names.');
    }
    config.models = [...new Set((models as string[]).map((model) => model.trim()))];
  }
  if (entry.weight !== undefined) {
    const weight = entry.weight;
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 100) {
      fail('weight', 'expected an integer from 1 to 100.');
    }
    config.weight = weight as number;
  }
  const egressProxy = readString('egressProxy');
  if (egressProxy !== undefined) {
    // never echo the value: it usually carries a password
    let url: URL | undefined;
    try {
      url = new URL(egressProxy);
    } catch {
      url = undefined;
    }
    if (
      url === undefined ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.hostname === ''
    ) {
      fail('egressProxy', 'expected an http(s) proxy URL such as http://user:pass@host:port.');
    }
    config.egressProxy = egressProxy;
  }
  if (entry.tier !== undefined) {
    if (!(ACCOUNT_TIERS as readonly unknown[]).includes(entry.tier)) {
      fail('tier', `expected one of ${ACCOUNT_TIERS.join(', ')}.`);
    }
    config.tier = entry.tier as AccountConfig['tier'] & string;
  }
  if (entry.limits !== undefined) config.limits = parseLimits({ value: entry.limits, fail });

  if (type === 'qwen-oauth') {
    for (const field of [
      'apiKey',
      'apiKeyEnv',
      'region',
      'workspace',
      'baseUrl',
      'anthropicBaseUrl',
    ]) {
      if (entry[field] !== undefined) {
        fail(
          field,
          'a qwen-oauth account takes its token and endpoint from its credentials file (credentialsPath); remove this field.',
        );
      }
    }
    // default: oauth_creds_<id>.json in QWEN_DIR; a relative path is relative to this file
    config.credentialsPath =
      credentialsPath === undefined
        ? getCredentialsPath({ qwenDir, accountId: id })
        : resolve(dirname(path), credentialsPath.replace(/^~(?=$|[/\\])/, homedir()));
    return config;
  }

  if (credentialsPath !== undefined) {
    fail(
      'credentialsPath',
      `a ${type} account authenticates with apiKey or apiKeyEnv, not a credentials file.`,
    );
  }
  const apiKeyEnv = readString('apiKeyEnv');
  const inlineKey = readString('apiKey');
  if ((apiKeyEnv === undefined) === (inlineKey === undefined)) {
    fail(
      inlineKey === undefined ? 'apiKey' : 'apiKeyEnv',
      'give exactly one of apiKey (the key) or apiKeyEnv (the name of a variable holding it).',
    );
  }
  let apiKey = inlineKey;
  if (apiKeyEnv !== undefined) {
    if (!ENV_NAME_PATTERN.test(apiKeyEnv))
      fail('apiKeyEnv', 'expected a variable name such as BAILIAN_CODING_PLAN_API_KEY.');
    apiKey = env[apiKeyEnv]?.trim();
    if (apiKey === undefined || apiKey === '') {
      fail('apiKeyEnv', `the variable ${apiKeyEnv} is not set (or empty) in the environment.`);
    }
    config.apiKeyEnv = apiKeyEnv;
  }
  const keyCheck = checkKeyFormat({ type, apiKey: apiKey ?? '' });
  if (!keyCheck.ok) fail(apiKeyEnv === undefined ? 'apiKey' : 'apiKeyEnv', keyCheck.message);
  config.apiKey = apiKey as string;
  try {
    config.endpoints = resolveAccountEndpoints({
      type,
      region,
      workspace,
      baseUrl,
      anthropicBaseUrl,
    });
  } catch (error) {
    if (error instanceof AccountEndpointsError) fail(error.field, error.message);
    throw error;
  }
  if (region !== undefined) config.region = region;
  if (workspace !== undefined) config.workspace = workspace;
  if (baseUrl !== undefined) config.baseUrl = config.endpoints.openAIBaseUrl;
  return config;
}

function parseLimits({
  value,
  fail,
}: {
  value: unknown;
  fail: (field: string, problem: string) => never;
}): AccountLimits {
  if (!isRecord(value))
    return fail('limits', 'expected an object such as {"5h": 1200, "7d": 9000}.');
  const limits: AccountLimits = {};
  for (const [window, count] of Object.entries(value)) {
    if (!(ACCOUNT_LIMIT_WINDOWS as readonly string[]).includes(window)) {
      fail(`limits.${window}`, `unknown window; use ${ACCOUNT_LIMIT_WINDOWS.join(', ')}.`);
    }
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
      fail(`limits.${window}`, 'expected a positive integer (requests in that window).');
    }
    limits[window as keyof AccountLimits] = count as number;
  }
  return limits;
}
