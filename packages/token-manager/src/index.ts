export {
  type ApiKeyTokenSource,
  createApiKeyTokenSource,
} from './api-key/create-api-key-token-source';
export { CorruptCredentialsError } from './errors/corrupt-credentials-error';
export { CredentialsDirUnwritableError } from './errors/credentials-dir-unwritable-error';
export { DeviceFlowError, type DeviceFlowFailure } from './errors/device-flow-error';
export { LockTimeoutError } from './errors/lock-timeout-error';
export { NeedsReauthError } from './errors/needs-reauth-error';
export { NoCredentialsError } from './errors/no-credentials-error';
export { TokenRefreshError } from './errors/token-refresh-error';
export { acquireFileLock, type FileLock, type FileLockObserver } from './lock/acquire-file-lock';
export { inspectLock, type LockInspection } from './lock/inspect-lock';
export { DEFAULT_LOCK_STALE_AFTER_IN_MS, type FileLockOptions } from './lock/lock-options';
export { createQwenOAuthTokenManager } from './manager/create-qwen-oauth-token-manager';
export type {
  QwenOAuthTokenManager,
  QwenOAuthTokenManagerOptions,
} from './manager/qwen-oauth-token-manager';
export { createPkcePair, type PkcePair } from './oauth/create-pkce-pair';
export {
  DEFAULT_QWEN_OAUTH_BASE_URL,
  QWEN_OAUTH_CLIENT_ID,
  QWEN_OAUTH_SCOPE,
  resolveQwenOAuthBaseUrl,
} from './oauth/qwen-oauth-constants';
export { requestTokenRefresh, type TokenRefreshOutcome } from './oauth/request-token-refresh';
export {
  type DeviceAuthorization,
  type DevicePollInfo,
  type StartDeviceAuthorizationOptions,
  startDeviceAuthorization,
} from './oauth/start-device-authorization';
export { TOKEN_MANAGER_USER_AGENT } from './oauth/user-agent';
export type { RefreshRetryPolicy } from './retry/refresh-retry-policy';
export {
  type CredentialsPermissionProblem,
  checkCredentialsPermissions,
} from './store/check-credentials-permissions';
export { type DiscoveredQwenAccount, discoverQwenAccounts } from './store/discover-qwen-accounts';
export { safeParseCredentials } from './store/parse-credentials';
export { getCredentialsPath, getLockPath, resolveQwenDir } from './store/qwen-paths';
export { readCredentialsFile } from './store/read-credentials-file';
export {
  findInterruptedWrite,
  type InterruptedWriteRecovery,
  recoverInterruptedWrite,
} from './store/recover-interrupted-write';
export { saveCredentials } from './store/save-credentials';
export { writeCredentialsFile } from './store/write-credentials-file';
export { convertCredentialsToUpstreamToken } from './token/convert-credentials-to-upstream-token';
export { isTokenUsable } from './token/is-token-usable';
export { mergeTokenResponse } from './token/merge-token-response';
export type { AccountState, AccountStatus, QwenCredentials } from './types';
