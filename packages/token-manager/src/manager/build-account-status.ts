import { isTokenUsable } from '../token/is-token-usable';
import type { AccountState, AccountStatus, QwenCredentials } from '../types';

/** A refreshed pair that could not be written (see the manager's `unpersisted`). */
export interface UnsavedCredentialsInfo {
  sinceInMs: number;
  errnoCode: string;
  attempts: number;
  message: string;
}

/**
 * Builds the status snapshot of an OAuth account from the manager's state (no secrets).
 * Precedence: a file problem (needs-reauth, corrupt, no credentials) first; then `unsaved`
 * (the live refresh token exists only in memory) and `unwritable` (no refresh can be
 * coordinated or saved), which outrank the token's own state because an operator must act.
 */
export function buildAccountStatus({
  accountId,
  credentialsPath,
  credentials,
  problem,
  unsaved,
  storageProblem,
  refreshing,
  lastRefresh,
  nowInMs,
  refreshBufferInMs,
}: {
  accountId: string;
  credentialsPath: string;
  credentials: QwenCredentials | undefined;
  problem: { code: string; message: string } | undefined;
  unsaved?: UnsavedCredentialsInfo | undefined;
  storageProblem?: { code: string; message: string } | undefined;
  refreshing: boolean;
  lastRefresh: AccountStatus['lastRefresh'];
  nowInMs: number;
  refreshBufferInMs: number;
}): AccountStatus {
  const expiresAtInMs = credentials?.expiry_date;
  const hasExpiry = expiresAtInMs !== undefined && Number.isFinite(expiresAtInMs);
  let state: AccountState;
  if (problem?.code === 'QWEN_RELAY_NEEDS_REAUTH') state = 'needs-reauth';
  else if (problem?.code === 'QWEN_RELAY_CORRUPT_CREDENTIALS') state = 'corrupt';
  else if (!credentials) state = 'no-credentials';
  else if (unsaved) state = 'unsaved';
  else if (storageProblem) state = 'unwritable';
  else if (refreshing) state = 'refreshing';
  else if (isTokenUsable({ expiresAtInMs, nowInMs, refreshBufferInMs })) state = 'ok';
  else if (hasExpiry && nowInMs < (expiresAtInMs as number)) state = 'expiring';
  else state = 'expired';

  let message: string | undefined = problem?.message;
  if (state === 'unsaved') message = unsaved?.message;
  else if (state === 'unwritable') message = storageProblem?.message;
  if (!message && !credentials) {
    message = `No credentials at ${credentialsPath}; run \`qwen-relay auth login\`.`;
  } else if (!message && (state === 'expired' || state === 'expiring')) {
    message = 'The access token is refreshed on the next request.';
  }
  return {
    accountId,
    authType: 'qwen-oauth',
    state,
    credentialsPath,
    ...(hasExpiry
      ? {
          expiresAtInMs: expiresAtInMs as number,
          secondsToExpiry: Math.round(((expiresAtInMs as number) - nowInMs) / 1000),
        }
      : {}),
    ...(credentials?.resource_url ? { resourceUrl: credentials.resource_url } : {}),
    ...(lastRefresh ? { lastRefresh } : {}),
    ...(state === 'unsaved' && unsaved
      ? {
          unsaved: {
            sinceInMs: unsaved.sinceInMs,
            errnoCode: unsaved.errnoCode,
            attempts: unsaved.attempts,
          },
        }
      : {}),
    ...(message ? { message } : {}),
  };
}
