import type { InvalidationReason, TokenSource, UpstreamToken } from '@qwen-relay/contracts';
import { type FakeQwen, QWEN_OAUTH_CLIENT_ID } from '@qwen-relay/fake-qwen';

/** A TokenSource backed by the fake's credentials and its real refresh endpoint. */
export interface FakeTokenSource extends TokenSource {
  readonly refreshes: number;
  readonly invalidations: ReadonlyArray<{ reason: InvalidationReason; wasCurrent: boolean }>;
  readonly current: UpstreamToken;
}

/**
 * Minimal but correct stand-in for token-manager (which qwen-client must not import): one
 * refresh at a time (single flight), and `invalidate` refreshes only if the token handed back
 * is still the current one, so a storm of 401s on one token causes one refresh.
 * 'suspected-expiry' is ignored for tokens younger than `minimumTokenAgeForSuspicionInMs`.
 */
export function createFakeTokenSource({
  fake,
  accountId = 'default',
  minimumTokenAgeForSuspicionInMs = 60_000,
}: {
  fake: FakeQwen;
  accountId?: string;
  minimumTokenAgeForSuspicionInMs?: number;
}): FakeTokenSource {
  let credentials = fake.issueCredentials();
  let obtainedAtInMs = Date.now();
  let inflight: Promise<UpstreamToken> | undefined;
  const invalidations: Array<{ reason: InvalidationReason; wasCurrent: boolean }> = [];
  const stats = { refreshes: 0 };
  const toToken = (): UpstreamToken => ({
    accessToken: credentials.access_token,
    expiresAtInMs: credentials.expiry_date,
    resourceUrl: credentials.resource_url,
    authType: 'qwen-oauth',
  });

  const refresh = async (): Promise<UpstreamToken> => {
    const response = await fetch(`${fake.url}/api/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.refresh_token,
        client_id: QWEN_OAUTH_CLIENT_ID,
      }).toString(),
    });
    if (!response.ok) throw new Error(`refresh failed with ${response.status}`);
    const body = (await response.json()) as {
      access_token: string;
      refresh_token: string;
      expires_in: number;
      resource_url: string;
    };
    stats.refreshes++;
    credentials = {
      ...credentials,
      access_token: body.access_token,
      refresh_token: body.refresh_token,
      resource_url: body.resource_url,
      expiry_date: Date.now() + body.expires_in * 1000,
    };
    obtainedAtInMs = Date.now();
    return toToken();
  };

  return {
    accountId,
    get refreshes() {
      return stats.refreshes;
    },
    invalidations,
    get current() {
      return toToken();
    },
    getAccessToken: async () => inflight ?? toToken(),
    invalidate: async (token, reason) => {
      const wasCurrent = token.accessToken === credentials.access_token;
      invalidations.push({ reason, wasCurrent });
      if (!wasCurrent) return inflight ?? toToken();
      const ageInMs = Date.now() - obtainedAtInMs;
      if (reason === 'suspected-expiry' && ageInMs < minimumTokenAgeForSuspicionInMs) {
        return toToken();
      }
      inflight ??= refresh().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
  };
}
