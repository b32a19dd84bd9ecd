/** Credentials exactly as qwen-code stores them in `oauth_creds.json` (unknown keys preserved). */
export interface QwenCredentials {
  access_token: string;
  refresh_token: string;
  token_type: string;
  resource_url?: string;
  /** epoch milliseconds; NaN when the file had no numeric value (counts as expired) */
  expiry_date: number;
  [unknown: string]: unknown;
}

/** Lifecycle state of one account. */
export type AccountState =
  | 'ok'
  | 'refreshing'
  | 'expiring'
  | 'expired'
  | 'needs-reauth'
  | 'no-credentials'
  | 'corrupt'
  /** refreshed credentials live only in memory: writing them failed and is being retried */
  | 'unsaved'
  /** the credentials directory does not let this process create its lock or files */
  | 'unwritable';

/** A snapshot of one account for status pages, `auth status` and metrics (no secrets). */
export interface AccountStatus {
  accountId: string;
  authType: 'qwen-oauth' | 'api-key';
  state: AccountState;
  expiresAtInMs?: number;
  secondsToExpiry?: number;
  resourceUrl?: string;
  credentialsPath?: string;
  lastRefresh?: {
    atInMs: number;
    outcome: 'ok' | 'failed' | 'adopted';
    errorCode?: string;
    message?: string;
  };
  /** set while the state is `unsaved`: since when, why, and how many writes failed */
  unsaved?: { sinceInMs: number; errnoCode: string; attempts: number };
  /** human explanation for non-ok states, e.g. "run `qwen-relay auth login`" */
  message?: string;
}
