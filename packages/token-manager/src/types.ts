import type { LockStaleReason } from './lock/inspect-lock';

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

/** The bearer handed to the upstream client (shape of qwen-client's `UpstreamToken`). */
export interface UpstreamToken {
  readonly accessToken: string;
  /** epoch ms; absent for API keys */
  readonly expiresAtInMs?: number;
  /** `resource_url` (OAuth) or the configured base URL (API key) */
  readonly resourceUrl?: string;
  readonly authType: 'qwen-oauth' | 'api-key';
}

/** Why a caller thinks a token stopped working. */
export type InvalidationReason = 'unauthorized' | 'forbidden' | 'suspected-expiry';

/** Structural twin of qwen-client's `TokenSource`. */
export interface TokenSource {
  readonly accountId: string;
  getAccessToken(options?: { signal?: AbortSignal }): Promise<UpstreamToken>;
  invalidate(token: UpstreamToken, reason: InvalidationReason): Promise<UpstreamToken>;
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

/** Why a refresh started. */
export type RefreshReason = 'expiring' | 'expired' | 'proactive' | 'invalidated' | 'manual';

/** Events reported through `onEvent`; plain objects that never contain secrets. */
export type TokenManagerEvent =
  | { type: 'token-served'; accountId: string; expiresAtInMs: number }
  | { type: 'refresh-started'; accountId: string; reason: RefreshReason }
  | { type: 'refresh-succeeded'; accountId: string; expiresAtInMs: number; durationInMs: number }
  | {
      type: 'refresh-failed';
      accountId: string;
      errorCode: string;
      retryable: boolean;
      attempt: number;
      message: string;
      /** set when another attempt follows */
      retryInMs?: number;
    }
  | { type: 'lock-waiting'; accountId: string; lockPath: string; attempt: number }
  | { type: 'lock-acquired'; accountId: string; lockPath: string; waitedInMs: number }
  | {
      type: 'lock-stale-removed';
      accountId: string;
      lockPath: string;
      ageInMs: number;
      /** expired (older than the staleness), future-mtime, dangling-symlink or dead-owner */
      reason: LockStaleReason;
      /** the recorded owner's pid (dead-owner) */
      ownerPid?: number;
    }
  | {
      type: 'token-adopted';
      accountId: string;
      source: 'file-changed' | 'other-process';
      expiresAtInMs: number;
    }
  | {
      type: 'token-invalidated';
      accountId: string;
      reason: InvalidationReason;
      /**
       * 'too-young': a 'suspected-expiry' on a token we obtained by refreshing (or adopted under
       * the lock) less than minimumTokenAgeForSuspicionInMs ago; 'recently-refreshed': the token
       * came from a file change, but this manager refreshed less than that long ago
       */
      action: 'refresh' | 'already-replaced' | 'too-young' | 'recently-refreshed';
    }
  | { type: 'needs-reauth'; accountId: string; message: string }
  | { type: 'credentials-unusable'; accountId: string; errorCode: string; message: string }
  | { type: 'recovered'; accountId: string }
  | {
      /** refreshed credentials could not be written: they live only in memory until a retry succeeds */
      type: 'persist-failed';
      accountId: string;
      credentialsPath: string;
      /** ENOSPC, EACCES, EROFS, … */
      errnoCode: string;
      message: string;
      attempt: number;
      /** when the next write is tried (absent for the last try on shutdown) */
      retryInMs?: number;
    }
  | {
      /** an earlier failed write is resolved: saved now, or the file got newer credentials meanwhile */
      type: 'persist-recovered';
      accountId: string;
      credentialsPath: string;
      outcome: 'saved' | 'superseded';
      attempts: number;
    }
  | {
      /** a leftover temp file of an interrupted write was adopted as the credentials file */
      type: 'interrupted-write-recovered';
      accountId: string;
      credentialsPath: string;
      tempPath: string;
      backupPath: string;
    }
  | {
      /** the credentials directory does not let this process create files (lock, temp file) */
      type: 'credentials-dir-unwritable';
      accountId: string;
      directory: string;
      errnoCode: string;
      message: string;
    };
