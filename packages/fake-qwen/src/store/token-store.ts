import { randomBytes } from 'node:crypto';

/** A freshly minted access/refresh pair. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  expiresAtInMs: number;
}

/** Result of checking a bearer token. */
export type AccessTokenState = 'valid' | 'expired' | 'unknown';

/** Server-side token state: issued access tokens and the currently valid refresh tokens. */
export interface TokenStore {
  issuePair(expiresInSeconds: number): TokenPair;
  checkAccessToken(accessToken: string): AccessTokenState;
  /** rotates: the old refresh token stops working; undefined when it is not valid */
  rotate(options: { refreshToken: string; expiresInSeconds: number }): TokenPair | undefined;
  invalidateAccessToken(accessToken?: string): void;
  revokeRefreshToken(refreshToken?: string): void;
  isRefreshTokenValid(refreshToken: string): boolean;
}

/** Creates an empty token store; expiry is judged with `now` (epoch ms). */
export function createTokenStore({
  now,
  opaqueTokens = false,
}: {
  now: () => number;
  /** tokens without a prefix or a long run: nothing but their value gives them away */
  opaqueTokens?: boolean;
}): TokenStore {
  function createOpaqueToken(prefix: string): string {
    return opaqueTokens
      ? randomBytes(12).toString('hex')
      : prefix + randomBytes(24).toString('base64url');
  }

  const accessTokenExpiries = new Map<string, number>();
  const validRefreshTokens = new Set<string>();

  function issuePair(expiresInSeconds: number): TokenPair {
    const accessToken = createOpaqueToken('qat_');
    const refreshToken = createOpaqueToken('qrt_');
    const expiresAtInMs = now() + expiresInSeconds * 1000;
    accessTokenExpiries.set(accessToken, expiresAtInMs);
    validRefreshTokens.add(refreshToken);
    return { accessToken, refreshToken, expiresInSeconds, expiresAtInMs };
  }

  return {
    issuePair,
    checkAccessToken(accessToken) {
      const expiresAtInMs = accessTokenExpiries.get(accessToken);
      if (expiresAtInMs === undefined) return 'unknown';
      return now() < expiresAtInMs ? 'valid' : 'expired';
    },
    rotate({ refreshToken, expiresInSeconds }) {
      // delete-then-issue in one synchronous step: two concurrent refreshes with the same
      // token cannot both succeed, exactly like a rotating upstream
      if (!validRefreshTokens.delete(refreshToken)) return undefined;
      return issuePair(expiresInSeconds);
    },
    invalidateAccessToken(accessToken) {
      if (accessToken === undefined) accessTokenExpiries.clear();
      else accessTokenExpiries.delete(accessToken);
    },
    revokeRefreshToken(refreshToken) {
      if (refreshToken === undefined) validRefreshTokens.clear();
      else validRefreshTokens.delete(refreshToken);
    },
    isRefreshTokenValid(refreshToken) {
      return validRefreshTokens.has(refreshToken);
    },
  };
}
