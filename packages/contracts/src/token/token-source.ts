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

/** Why a caller hands a token back to its source. */
export type InvalidationReason = 'unauthorized' | 'forbidden' | 'suspected-expiry';

/**
 * Where qwen-client gets tokens from; token-manager's managers and API-key sources implement it.
 *
 * `invalidate` refreshes only if `token` is still the current one (a storm of 401s on one token
 * causes one refresh) and, for 'suspected-expiry', only if the token is old enough to be suspect.
 * It returns the token to retry with, which may be the same one.
 */
export interface TokenSource {
  /** 'default' for oauth_creds.json, else the account name */
  readonly accountId: string;
  /** The current token, refreshed first when it is expired or about to expire. */
  getAccessToken(options?: { signal?: AbortSignal }): Promise<UpstreamToken>;
  /**
   * The token getAccessToken would serve at once, with nothing to wait for (no refresh, no
   * start-up, no file check due), served and counted as getAccessToken serves it; undefined
   * when getAccessToken has work to do. Optional: callers fall back to getAccessToken.
   */
  peekAccessToken?(): UpstreamToken | undefined;
  /** Reports that upstream rejected `token`; resolves with the token to retry with. */
  invalidate(token: UpstreamToken, reason: InvalidationReason): Promise<UpstreamToken>;
}
