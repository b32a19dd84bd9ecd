import {
  createApiKeyTokenSource,
  discoverQwenAccounts,
  getCredentialsPath,
  getLockPath,
} from '@qwen-relay/token-manager';
import type { AccountReport } from './account-report';
import { DEFAULT_API_BASE_URL } from './format-api-endpoint';
import { inspectOAuthAccount } from './inspect-oauth-account';
import { DEFAULT_ACCOUNT_ID } from './parse-account-name';

/** The account ids that have a credentials file in `qwenDir`, default first. */
export async function listAccountIds({ qwenDir }: { qwenDir: string }): Promise<string[]> {
  const accounts = await discoverQwenAccounts({ qwenDir });
  const ids = accounts.map((account) => account.accountId);
  const named = ids.filter((id) => id !== DEFAULT_ACCOUNT_ID).sort();
  return ids.includes(DEFAULT_ACCOUNT_ID) ? [DEFAULT_ACCOUNT_ID, ...named] : named;
}

/**
 * Reports on the accounts `serve` would use, or on the one given: with QWEN_API_KEY set, the
 * API key (OAuth files are then listed but `serve` ignores them); otherwise every credentials
 * file, or the default account as missing when there is none.
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
  const apiKeyInUse =
    accountId === undefined && env.QWEN_API_KEY !== undefined && env.QWEN_API_KEY !== '';
  let ids: string[];
  if (accountId !== undefined) ids = [accountId];
  else {
    ids = await listAccountIds({ qwenDir });
    if (ids.length === 0 && !apiKeyInUse) ids = [DEFAULT_ACCOUNT_ID];
  }
  const reports: AccountReport[] = [];
  if (apiKeyInUse) {
    const source = createApiKeyTokenSource({
      apiKey: env.QWEN_API_KEY ?? '',
      ...(env.QWEN_API_BASE_URL ? { baseUrl: env.QWEN_API_BASE_URL } : {}),
    });
    const status = source.getStatus();
    reports.push({
      accountId: status.accountId,
      source: 'api-key',
      state: 'valid',
      usable: true,
      endpoint: status.resourceUrl ?? env.QWEN_API_BASE_URL ?? DEFAULT_API_BASE_URL,
      message: 'QWEN_API_KEY is set: serve uses it instead of any OAuth account.',
    });
  }
  for (const id of ids) {
    const credentialsPath = getCredentialsPath({ qwenDir, accountId: id });
    reports.push(
      await inspectOAuthAccount({
        accountId: id,
        credentialsPath,
        lockPath: getLockPath({ credentialsPath }),
        oauthBaseUrl,
        now,
      }),
    );
  }
  return { reports, apiKeyInUse };
}
