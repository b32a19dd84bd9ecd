import type { TokenSource } from '@qwen-relay/qwen-client';
import {
  type AccountStatus,
  createApiKeyTokenSource,
  createQwenOAuthTokenManager,
  type DiscoveredQwenAccount,
  discoverQwenAccounts,
  getCredentialsPath,
} from '@qwen-relay/token-manager';
import type { ProxyConfig } from '../config/proxy-config';
import type { RelayEvent } from '../logging/log-relay-event';

/** An account the proxy serves from: a token source with a lifecycle and a status for /health. */
export interface ProxyAccount extends TokenSource {
  start(): Promise<void>;
  getStatus(): AccountStatus;
  close(): Promise<void>;
}

/** An OAuth account to serve, and whether its credentials file was actually found. */
export interface WantedOAuthAccount
  extends Pick<DiscoveredQwenAccount, 'accountId' | 'credentialsPath'> {
  discovered: boolean;
}

/**
 * The OAuth accounts to serve: every `oauth_creds*.json` in QWEN_DIR. With none at all, the
 * default account is still wanted (not discovered): its manager watches the missing file, so a
 * later `qwen-relay auth login` is picked up without a restart (chat answers 401 with a login
 * hint until then).
 */
export async function findWantedOAuthAccounts({
  qwenDir,
}: {
  qwenDir: string;
}): Promise<WantedOAuthAccount[]> {
  const discovered = await discoverQwenAccounts({ qwenDir });
  if (discovered.length > 0) {
    return discovered.map(({ accountId, credentialsPath }) => ({
      accountId,
      credentialsPath,
      discovered: true,
    }));
  }
  const credentialsPath = getCredentialsPath({ qwenDir, accountId: 'default' });
  return [{ accountId: 'default', credentialsPath, discovered: false }];
}

/** The token manager of one OAuth account, configured from the proxy settings. */
export function createOAuthProxyAccount({
  config,
  accountId,
  credentialsPath,
  onEvent,
}: {
  config: ProxyConfig;
  accountId: string;
  credentialsPath: string;
  onEvent: (event: RelayEvent) => void;
}): ProxyAccount {
  return createQwenOAuthTokenManager({
    accountId,
    credentialsPath,
    oauthBaseUrl: config.oauthBaseUrl,
    refreshBufferInMs: config.refreshBufferInMs,
    fileCheckIntervalInMs: config.credentialsCheckIntervalInMs,
    onEvent: (event) => onEvent(event),
  });
}

/** The static API-key account used when QWEN_API_KEY is set. */
export function createApiKeyProxyAccount({ config }: { config: ProxyConfig }): ProxyAccount {
  return createApiKeyTokenSource({
    apiKey: config.apiKey ?? '',
    ...(config.apiBaseUrl === undefined ? {} : { baseUrl: config.apiBaseUrl }),
  });
}
