import type { InvalidationReason, TokenSource, UpstreamToken } from '@qwen-relay/contracts';

/** A counting TokenSource stub with the real contract: single-flight, stale-token aware. */
export interface StubTokenSource extends TokenSource {
  readonly current: UpstreamToken;
  readonly refreshes: number;
  readonly invalidations: Array<{ reason: InvalidationReason; wasCurrent: boolean }>;
}

/**
 * Tokens are `<prefix>-<generation>`. `invalidate` refreshes only if the token handed back is
 * still the current one; concurrent invalidations of the same token share one refresh.
 */
export function createStubTokenSource({
  accountId = 'default',
  resourceUrl,
  authType = 'qwen-oauth',
  refreshDelayInMs = 5,
  ignoreSuspectedExpiry = false,
}: {
  accountId?: string;
  resourceUrl?: string;
  authType?: UpstreamToken['authType'];
  refreshDelayInMs?: number;
  ignoreSuspectedExpiry?: boolean;
}): StubTokenSource {
  let generation = 1;
  const mint = (): UpstreamToken => ({
    accessToken: `qat_${accountId}-${generation}`,
    authType,
    ...(resourceUrl === undefined ? {} : { resourceUrl }),
  });
  let current = mint();
  let inflight: Promise<UpstreamToken> | undefined;
  const stats = { refreshes: 0 };
  const invalidations: StubTokenSource['invalidations'] = [];
  return {
    accountId,
    get current() {
      return current;
    },
    get refreshes() {
      return stats.refreshes;
    },
    invalidations,
    getAccessToken: async () => inflight ?? current,
    invalidate: async (token, reason) => {
      const wasCurrent = token.accessToken === current.accessToken;
      invalidations.push({ reason, wasCurrent });
      if (!wasCurrent) return inflight ?? current;
      if (reason === 'suspected-expiry' && ignoreSuspectedExpiry) return current;
      // single flight: everyone who invalidates the current token waits for the same refresh
      inflight ??= new Promise<UpstreamToken>((resolve) => {
        setTimeout(() => {
          generation++;
          stats.refreshes++;
          current = mint();
          inflight = undefined;
          resolve(current);
        }, refreshDelayInMs);
      });
      return inflight;
    },
  };
}
