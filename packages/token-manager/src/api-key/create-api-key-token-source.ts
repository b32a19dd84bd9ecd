import {
  registerSecret,
  type TokenSource,
  type UpstreamToken,
  unregisterSecret,
} from '@qwen-relay/contracts';
import type { AccountStatus } from '../types';

/** A static API key (DashScope / Coding Plan) as a TokenSource. */
export interface ApiKeyTokenSource extends TokenSource {
  peekAccessToken(): UpstreamToken | undefined;
  start(): Promise<void>;
  getStatus(): AccountStatus;
  close(): Promise<void>;
}

/**
 * Wraps a static API key: never refreshed, never expires; `invalidate` returns the same key
 * (there is nothing to refresh, so qwen-client's retry-once simply fails with the upstream's 401).
 */
export function createApiKeyTokenSource({
  apiKey,
  baseUrl,
  accountId = 'api-key',
}: {
  apiKey: string;
  baseUrl?: string;
  accountId?: string;
}): ApiKeyTokenSource {
  if (apiKey.trim().length === 0) throw new TypeError('createApiKeyTokenSource: apiKey is empty.');
  const accessToken = apiKey.trim();
  // the key is redacted by value from every text the process writes while the source lives
  registerSecret(accessToken);
  let closed = false;
  const token: UpstreamToken = Object.freeze({
    accessToken,
    authType: 'api-key' as const,
    ...(baseUrl ? { resourceUrl: baseUrl } : {}),
  });
  return {
    accountId,
    start: async () => undefined,
    getAccessToken: async () => token,
    // a closed source still serves its key through getAccessToken: the same here
    peekAccessToken: () => token,
    invalidate: async () => token,
    getStatus: () => ({
      accountId,
      authType: 'api-key',
      state: 'ok',
      ...(baseUrl ? { resourceUrl: baseUrl } : {}),
    }),
    close: async () => {
      if (closed) return;
      closed = true;
      unregisterSecret(accessToken);
    },
  };
}
