export type { AccountCooldownState } from './accounts/account-pool';
export { createQwenClient } from './client/create-qwen-client';
export type {
  AccountScheduler,
  AnthropicCallOptions,
  PayloadSourceText,
  QwenCallOptions,
  QwenClient,
  QwenClientCooldowns,
  QwenClientOptions,
  QwenClientTimeouts,
  UpstreamJsonResult,
  UpstreamProtocol,
  UpstreamResult,
  UpstreamStreamResult,
} from './client/types';
export { DEFAULT_QWEN_BASE_URL, resolveBaseUrl } from './endpoint/resolve-base-url';
export type { AttemptRecord } from './errors/attempt-record';
export {
  type CreateUpstreamErrorOptions,
  createUpstreamError,
} from './errors/create-upstream-error';
export { ModelNotServedError } from './errors/model-not-served-error';
export { NoAccountsError } from './errors/no-accounts-error';
export {
  type CallOutcome,
  QwenClientError,
  type QwenClientErrorOptions,
  type UpstreamTimeoutPhase,
} from './errors/qwen-client-error';
export {
  AbortedError,
  AllAccountsCoolingDownError,
  QuotaExceededError,
  UpstreamAuthError,
  UpstreamBadRequestError,
  UpstreamBadResponseError,
  UpstreamConnectionError,
  UpstreamRateLimitedError,
  UpstreamServerError,
  UpstreamTimeoutError,
} from './errors/upstream-errors';
export type { QwenClientEventListener } from './events';
export {
  type AccountProfile,
  resolveAccountModel,
  servesModel,
  type UpstreamAccount,
} from './plans/account-profile';
export {
  ACCOUNT_TYPES,
  type AccountType,
  isAccountType,
  type KeyAccountType,
} from './plans/account-type';
export { checkKeyFormat, inferKeyAccountType, type KeyFormatCheck } from './plans/check-key-format';
export { findClosestModels } from './plans/find-closest-models';
export { ANY_MODEL, PLAN_MODELS } from './plans/plan-models';
export {
  formatRegion,
  PLAN_PRESETS,
  type PlanPreset,
  resolveRegionId,
} from './plans/plan-presets';
export {
  type AccountEndpoints,
  AccountEndpointsError,
  resolveAccountEndpoints,
} from './plans/resolve-account-endpoints';
export {
  NATIVE_RESPONSES_MODEL_PATTERN,
  servesNativeResponses,
} from './plans/serves-native-responses';
export {
  createRetryPolicy,
  type RetryContext,
  type RetryDecision,
  type RetryPolicy,
} from './retry/retry-policy';
export { type RunWithRetryOptions, runWithRetry } from './retry/run-with-retry';
export {
  classifyUpstreamLimit,
  type SpentPlanWindow,
  type UpstreamLimit,
} from './scheduling/classify-upstream-limit';
export type { StreamEnd } from './stream/create-pushed-upstream-stream';
