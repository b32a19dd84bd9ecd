import type { TokenResponse } from '../oauth/token-response';
import type { QwenCredentials } from '../types';

/** Lifetime assumed when a token answer carries no `expires_in` (every observed answer said 3600). */
export const DEFAULT_EXPIRES_IN_SECONDS = 3600;

/**
 * Builds the credentials to persist after a refresh: the new access token, the rotated refresh
 * token (the old one only when the server sent none, as qwen-code does), `resource_url` from
 * the answer or the previous file, and `expiry_date` in epoch ms. Unknown fields of the
 * previous credentials are kept.
 */
export function mergeTokenResponse({
  previous,
  response,
  nowInMs,
}: {
  previous: QwenCredentials;
  response: TokenResponse;
  nowInMs: number;
}): QwenCredentials {
  const resourceUrl = response.resource_url ?? previous.resource_url;
  return {
    ...previous,
    access_token: response.access_token,
    token_type: response.token_type,
    refresh_token: response.refresh_token ?? previous.refresh_token,
    ...(resourceUrl ? { resource_url: resourceUrl } : {}),
    // without expires_in assume the observed 1 h lifetime: a non-number would make qwen-code
    // treat the whole file as invalid; an early 401 is handled by invalidate()
    expiry_date: nowInMs + (response.expires_in ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000,
  };
}
