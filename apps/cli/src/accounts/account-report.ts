import type { LockStaleReason } from '@qwen-relay/contracts';
import type { AccountType } from '@qwen-relay/qwen-client';

/** What `auth status` says about an account's token. */
export type AccountReportState =
  | 'valid'
  | 'expiring'
  | 'expired'
  | 'needs-reauth'
  | 'missing'
  | 'corrupt'
  /** a running proxy refreshed this account but could not write the file: only its memory holds the live pair */
  | 'unsaved'
  /** the credentials directory does not let this user create the lock or files: no refresh can be saved */
  | 'unwritable';

/** Everything the CLI knows about one account, as shown by `auth status` and `auth list`. */
export interface AccountReport {
  accountId: string;
  /** `coding-plan`, `token-plan`, `standard` or `qwen-oauth` */
  type: AccountType;
  /** where it is configured: an OAuth file, QWEN_API_KEY or the accounts file */
  source: 'oauth-file' | 'api-key' | 'accounts-file';
  /** the credentials file (OAuth accounts) */
  credentialsPath?: string;
  state: AccountReportState;
  /** a request through the proxy would get a token without anyone logging in */
  usable: boolean;
  expiresAtInMs?: number;
  /** the chat API base URL requests for this account go to */
  endpoint?: string;
  lock?: {
    path: string;
    state: 'free' | 'held' | 'stale';
    ageInMs?: number;
    /** why a stale lock is stale (token-manager's inspectLock) */
    staleReason?: LockStaleReason;
  };
  /** what is wrong with a corrupt file, e.g. "not valid JSON" (never its content) */
  problem?: string;
  /** why the state is not `valid`, and what to do */
  message?: string;
  /** set for `unsaved`: what the running proxy reported */
  unsaved?: { proxyUrl: string; since: string; errnoCode: string; attempts: number };
}

/** Labels people read, one per state. */
export const ACCOUNT_STATE_LABELS: Record<AccountReportState, string> = {
  valid: 'valid',
  expiring: 'expiring soon',
  expired: 'expired',
  'needs-reauth': 'needs re-auth',
  missing: 'missing',
  corrupt: 'corrupt',
  unsaved: 'unsaved (only in the proxy’s memory)',
  unwritable: 'directory not writable',
};
