/** A bearer credential as served by a {@link TokenSource}. */
export interface UpstreamToken {
  /** the bearer sent upstream; a secret, never logged */
  readonly accessToken: string;
  /** epoch ms; absent for API keys */
  readonly expiresAtInMs?: number;
  /** `resource_url` (OAuth) or the configured base URL (API key) */
  readonly resourceUrl?: string;
  readonly authType: 'qwen-oauth' | 'api-key';
}

/** Why the client hands a token back to its source. */
export type InvalidationReason = 'unauthorized' | 'forbidden' | 'suspected-expiry';

/**
 * Where the client gets tokens from; implemented structurally by `@qwen-relay/token-manager`.
 *
 * `invalidate` refreshes only if `token` is still the current one (a storm of 401s on one token
 * causes one refresh) and, for 'suspected-expiry', only if the token is old enough to be suspect.
 * It returns the token to retry with, which may be the same one.
 */
export interface TokenSource {
  /** 'default' for oauth_creds.json, else the account name */
  readonly accountId: string;
  getAccessToken(options?: { signal?: AbortSignal }): Promise<UpstreamToken>;
  invalidate(token: UpstreamToken, reason: InvalidationReason): Promise<UpstreamToken>;
}
