import { inferKeyAccountType, resolveAccountEndpoints } from '@qwen-relay/qwen-client';
import type { AccountConfig } from './account-config';

/** Id of the account the QWEN_API_KEY shortcut configures. */
export const ENV_ACCOUNT_ID = 'api-key';

/**
 * The QWEN_API_KEY shortcut as one account: `coding-plan` for `sk-sp-` keys, else `standard`;
 * QWEN_API_BASE_URL (when set) is its base URL. Without it a standard key goes to the Beijing
 * host as it always did (`dashscope.aliyuncs.com`), a Coding Plan key to the international one.
 */
export function createEnvAccountConfig({
  apiKey,
  apiBaseUrl,
}: {
  apiKey: string;
  apiBaseUrl: string | undefined;
}): AccountConfig {
  const type = inferKeyAccountType(apiKey);
  return {
    id: ENV_ACCOUNT_ID,
    type,
    origin: 'QWEN_API_KEY',
    apiKey: apiKey.trim(),
    ...(apiBaseUrl === undefined
      ? { region: type === 'standard' ? 'cn' : 'intl' }
      : { baseUrl: apiBaseUrl }),
    endpoints: resolveAccountEndpoints({
      type,
      baseUrl: apiBaseUrl,
      region: type === 'standard' ? 'cn' : 'intl',
    }),
  };
}
