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
export type { FileLockOptions } from './lock/lock-options';
export { createQwenOAuthTokenManager } from './manager/create-qwen-oauth-token-manager';
export type {
  QwenOAuthTokenManager,
  QwenOAuthTokenManagerOptions,
} from './manager/qwen-oauth-token-manager';
export { DEFAULT_QWEN_OAUTH_BASE_URL } from './oauth/qwen-oauth-constants';
export {
  type DeviceAuthorization,
  type DevicePollInfo,
  type StartDeviceAuthorizationOptions,
  startDeviceAuthorization,
} from './oauth/start-device-authorization';
export type { RefreshRetryPolicy } from './retry/refresh-retry-policy';
export { type DiscoveredQwenAccount, discoverQwenAccounts } from './store/discover-qwen-accounts';
export { getCredentialsPath, getLockPath, resolveQwenDir } from './store/qwen-paths';
export { readCredentialsFile } from './store/read-credentials-file';
export { saveCredentials } from './store/save-credentials';
export { writeCredentialsFile } from './store/write-credentials-file';
export type { AccountState, AccountStatus, QwenCredentials } from './types';
