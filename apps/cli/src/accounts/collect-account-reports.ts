import type { AccountConfig } from '@qwen-relay/proxy';
import { createEnvAccountConfig, loadAccountsFile } from '@qwen-relay/proxy';
import { formatRegion, resolveRegionId } from '@qwen-relay/qwen-client';
import {
  type DiscoveredQwenAccount,
  discoverQwenAccounts,
  getCredentialsPath,
  getLockPath,
} from '@qwen-relay/token-manager';
import type { AccountReport } from './account-report';
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

/** The report of a key account (QWEN_API_KEY or the accounts file): a configured key is usable. */
function reportKeyAccount({
  account,
  accountsPath,
}: {
  account: AccountConfig;
  accountsPath: string | undefined;
}): AccountReport {
  const region =
    account.region === undefined ? '' : ` in ${formatRegion(resolveRegionId(account.region))}`;
  return {
    accountId: account.id,
    type: account.type,
    source: account.origin === 'QWEN_API_KEY' ? 'api-key' : 'accounts-file',
    state: 'valid',
    usable: true,
    ...(account.endpoints === undefined ? {} : { endpoint: account.endpoints.openAIBaseUrl }),
    message:
      account.origin === 'QWEN_API_KEY'
        ? `QWEN_API_KEY: a ${account.type} key${region}, served beside the other accounts.`
        : `A ${account.type} key${region} from ${accountsPath ?? 'the accounts file'}; \`qwen-relay keys test ${account.id}\` checks it upstream.`,
  };
}

/**
 * Reports on the accounts `serve` would use, or on the one given: the key accounts
 * (QWEN_API_KEY, then the accounts file of QWEN_RELAY_ACCOUNTS), the accounts file's qwen-oauth
 * entries and every other credentials file token-manager discovers; the default OAuth account
 * as missing only when there is no account at all. An invalid accounts file throws its
 * AccountsFileError (file, entry and field).
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
}): Promise<{ reports: AccountReport[] }> {
  const loaded = loadAccountsFile({ configuredPath: env.QWEN_RELAY_ACCOUNTS, env, qwenDir });
  const configured: AccountConfig[] = [
    ...(env.QWEN_API_KEY
      ? [
          createEnvAccountConfig({
            apiKey: env.QWEN_API_KEY,
            apiBaseUrl: env.QWEN_API_BASE_URL || undefined,
          }),
        ]
      : []),
    ...(loaded?.accounts ?? []),
  ].filter((account) => accountId === undefined || account.id === accountId);
  const keyAccounts = configured.filter((account) => account.type !== 'qwen-oauth');

  const oauth: DiscoveredQwenAccount[] = configured
    .filter((account) => account.type === 'qwen-oauth')
    .map((account) => {
      const credentialsPath =
        account.credentialsPath ?? getCredentialsPath({ qwenDir, accountId: account.id });
      return { accountId: account.id, credentialsPath, lockPath: getLockPath({ credentialsPath }) };
    });
  const known = new Set([...configured.map((account) => account.id)]);
  const knownPaths = new Set(oauth.map((account) => account.credentialsPath));
  if (accountId !== undefined) {
    if (configured.length === 0) oauth.push(locateAccount({ qwenDir, accountId }));
  } else {
    for (const discovered of await discoverQwenAccounts({ qwenDir })) {
      if (!known.has(discovered.accountId) && !knownPaths.has(discovered.credentialsPath)) {
        oauth.push(discovered);
      }
    }
    if (oauth.length === 0 && keyAccounts.length === 0) {
      oauth.push(locateAccount({ qwenDir, accountId: DEFAULT_ACCOUNT_ID }));
    }
  }
  const reports: AccountReport[] = keyAccounts.map((account) =>
    reportKeyAccount({ account, accountsPath: loaded?.path }),
  );
  for (const account of oauth) {
    reports.push(await inspectOAuthAccount({ ...account, oauthBaseUrl, now, env }));
  }
  return { reports };
}
