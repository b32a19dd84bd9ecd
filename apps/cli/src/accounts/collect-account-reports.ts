import {
  createApiKeyTokenSource,
  type DiscoveredQwenAccount,
  discoverQwenAccounts,
  getCredentialsPath,
  getLockPath,
} from '@qwen-relay/token-manager';
import type { AccountReport } from './account-report';
import { DEFAULT_API_BASE_URL } from './format-api-endpoint';
import { inspectOAuthAccount } from './inspect-oauth-account';
import { DEFAULT_ACCOUNT_ID } from './parse-account-name';

/** An account's files, whether or not they exist yet. */
function locateAccount({
  qwenDir,
  accountId,
}: {
  qwenDir: string;
  accountId: string;
}): DiscoveredQwenAccount {
  const credentialsPath = getCredentialsPath({ qwenDir, accountId });
  return { accountId, credentialsPath, lockPath: getLockPath({ credentialsPath }) };
}

/** The report of the static API key that `serve` uses instead of OAuth when QWEN_API_KEY is set. */
function reportApiKey(env: NodeJS.ProcessEnv): AccountReport {
  const status = createApiKeyTokenSource({
    apiKey: env.QWEN_API_KEY ?? '',
    ...(env.QWEN_API_BASE_URL ? { baseUrl: env.QWEN_API_BASE_URL } : {}),
  }).getStatus();
  return {
    accountId: status.accountId,
    source: 'api-key',
    state: 'valid',
    usable: true,
    endpoint: status.resourceUrl ?? env.QWEN_API_BASE_URL ?? DEFAULT_API_BASE_URL,
    message: 'QWEN_API_KEY is set: serve uses it instead of any OAuth account.',
  };
}

/**
 * Reports on the accounts `serve` would use, or on the one given: with QWEN_API_KEY set, the
 * API key (OAuth files are then listed but `serve` ignores them); otherwise every credentials
 * file token-manager discovers, or the default account as missing when there is none.
 */
export async function collectAccountReports({
  qwenDir,
  oauthBaseUrl,
  env,
  now,
  accountId,
}: {
  qwenDir: string;
  oauthBaseUrl: string;
  env: NodeJS.ProcessEnv;
  now: () => number;
  accountId?: string;
}): Promise<{ reports: AccountReport[]; apiKeyInUse: boolean }> {
  const apiKeyInUse = accountId === undefined && Boolean(env.QWEN_API_KEY);
  let accounts: DiscoveredQwenAccount[];
  if (accountId !== undefined) accounts = [locateAccount({ qwenDir, accountId })];
  else {
    accounts = await discoverQwenAccounts({ qwenDir });
    if (accounts.length === 0 && !apiKeyInUse) {
      accounts = [locateAccount({ qwenDir, accountId: DEFAULT_ACCOUNT_ID })];
    }
  }
  const reports: AccountReport[] = apiKeyInUse ? [reportApiKey(env)] : [];
  for (const account of accounts) {
    reports.push(await inspectOAuthAccount({ ...account, oauthBaseUrl, now, env }));
  }
  return { reports, apiKeyInUse };
}
