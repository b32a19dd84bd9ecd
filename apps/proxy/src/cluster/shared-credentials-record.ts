import { createHash } from 'node:crypto';
import type { QwenCredentials } from '@qwen-relay/token-manager';

/**
 * One OAuth account's credentials as the cluster stores them (`credentials:<accountId>`).
 * `version` grows by one on every write; writers compare-and-set on the whole record, so a
 * stale writer never overwrites a newer pair.
 */
export interface SharedCredentialsRecord {
  version: number;
  credentials: QwenCredentials;
  updatedAtInMs: number;
  /** the replica (or `import`) that wrote it */
  updatedBy: string;
  /** set when the token endpoint rejected this record's refresh token: only a new login helps */
  needsReauth?: { refreshTokenHash: string; atInMs: number; upstreamErrorCode?: string };
}

/** The store key of an account's credentials. */
export const sharedCredentialsKey = (accountId: string) => `credentials:${accountId}`;
/** The channel on which a new version of an account's credentials is announced. */
export const sharedCredentialsChannel = (accountId: string) => `credentials:${accountId}`;
/** The lease a replica must hold to call the token endpoint for an account. */
export const refreshLeaseKey = (accountId: string) => `lease:refresh:${accountId}`;

/** A short, non-reversible fingerprint of a token (never the token itself). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 16);
}

/** Parses a stored record; undefined when absent or not a record (never throws). */
export function safeParseSharedCredentialsRecord(
  text: string | undefined,
): SharedCredentialsRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<SharedCredentialsRecord>;
    const credentials = parsed.credentials as Partial<QwenCredentials> | undefined;
    if (
      typeof parsed.version !== 'number' ||
      typeof credentials?.access_token !== 'string' ||
      typeof credentials.refresh_token !== 'string'
    ) {
      return undefined;
    }
    return parsed as SharedCredentialsRecord;
  } catch {
    return undefined;
  }
}
