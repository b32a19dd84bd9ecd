import type { InvalidationReason } from '../token/token-source';

/** Why a refresh started. */
export type RefreshReason = 'expiring' | 'expired' | 'proactive' | 'invalidated' | 'manual';

/** Why a credentials lock counts as stale. */
export type LockStaleReason =
  /** mtime older than the staleness window (qwen-code's own rule) */
  | 'expired'
  /** mtime in the future beyond the tolerance (clock skew) */
  | 'future-mtime'
  /** the lock is a symlink to nothing: exclusive create fails on it forever */
  | 'dangling-symlink'
  /** its recorded owner is a process of this host that no longer runs */
  | 'dead-owner';

/** Events token-manager reports through `onEvent`; plain objects that never contain secrets. */
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
