import type { TokenSource } from '@qwen-relay/qwen-client';
import {
  type AccountStatus,
  createApiKeyTokenSource,
  createQwenOAuthTokenManager,
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

/**
 * The accounts to serve: the static API key when QWEN_API_KEY is set, else every
 * `oauth_creds*.json` in QWEN_DIR. With no credentials at all, the default account is still
 * created: its manager watches the missing file, so a later `qwen-relay auth login` is picked up
 * without a restart (chat answers 401 with a login hint until then).
 */
export async function createProxyAccounts({
  config,
  onEvent,
}: {
  config: ProxyConfig;
  onEvent: (event: RelayEvent) => void;
}): Promise<ProxyAccount[]> {
  if (config.apiKey !== undefined) {
    return [
      createApiKeyTokenSource({
        apiKey: config.apiKey,
        ...(config.apiBaseUrl === undefined ? {} : { baseUrl: config.apiBaseUrl }),
      }),
    ];
  }
  const discovered = await discoverQwenAccounts({ qwenDir: config.qwenDir });
  const accounts =
    discovered.length > 0
      ? discovered
      : [
          {
            accountId: 'default',
            credentialsPath: getCredentialsPath({ qwenDir: config.qwenDir, accountId: 'default' }),
          },
        ];
  return accounts.map(({ accountId, credentialsPath }) =>
    createQwenOAuthTokenManager({
      accountId,
      credentialsPath,
      oauthBaseUrl: config.oauthBaseUrl,
      refreshBufferInMs: config.refreshBufferInMs,
      fileCheckIntervalInMs: config.credentialsCheckIntervalInMs,
      onEvent: (event) => onEvent(event),
    }),
  );
}
