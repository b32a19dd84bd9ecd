// `@qwen-relay/token-manager/internal`: the building blocks the proxy and the CLI assemble
// (locks, refresh grant, token helpers, file checks). Not a stable API: it may change in any
// release; applications use the main entry.
export { acquireFileLock, type FileLock, type FileLockObserver } from './lock/acquire-file-lock';
export { inspectLock, type LockInspection } from './lock/inspect-lock';
export { DEFAULT_LOCK_STALE_AFTER_IN_MS } from './lock/lock-options';
export { createPkcePair, type PkcePair } from './oauth/create-pkce-pair';
export {
  QWEN_OAUTH_CLIENT_ID,
  QWEN_OAUTH_SCOPE,
  resolveQwenOAuthBaseUrl,
} from './oauth/qwen-oauth-constants';
export { requestTokenRefresh, type TokenRefreshOutcome } from './oauth/request-token-refresh';
export { TOKEN_MANAGER_USER_AGENT } from './oauth/user-agent';
export {
  type CredentialsPermissionInspection,
  type CredentialsPermissionOptions,
  type CredentialsPermissionProblem,
  checkCredentialsPermissions,
  inspectCredentialsPermissions,
} from './store/check-credentials-permissions';
export { safeParseCredentials } from './store/parse-credentials';
export {
  formatBackupTimestamp,
  placeAtFreeBackupName,
} from './store/place-at-free-backup-name';
export {
  findInterruptedWrite,
  type InterruptedWriteRecovery,
  recoverInterruptedWrite,
} from './store/recover-interrupted-write';
export { convertCredentialsToUpstreamToken } from './token/convert-credentials-to-upstream-token';
export { isTokenUsable } from './token/is-token-usable';
export { mergeTokenResponse } from './token/merge-token-response';
