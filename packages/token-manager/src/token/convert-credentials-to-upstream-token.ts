import type { UpstreamToken } from '@qwen-relay/contracts';
import type { QwenCredentials } from '../types';

/** Maps file credentials to the token shape qwen-client consumes. */
export function convertCredentialsToUpstreamToken(credentials: QwenCredentials): UpstreamToken {
  return Object.freeze({
    accessToken: credentials.access_token,
    authType: 'qwen-oauth' as const,
    ...(Number.isFinite(credentials.expiry_date) ? { expiresAtInMs: credentials.expiry_date } : {}),
    ...(credentials.resource_url ? { resourceUrl: credentials.resource_url } : {}),
  });
}
