export {
  createLightAbortController,
  type LightAbortController,
} from './async/create-light-abort-controller';
export { getAbortReason } from './async/get-abort-reason';
export { raceWithSignal } from './async/race-with-signal';
export { sleepWithSignal } from './async/sleep-with-signal';
export {
  type AnthropicErrorType,
  ERROR_CODES,
  type ErrorCodeMapping,
  isKnownErrorCode,
  type QwenRelayErrorCode,
} from './errors/error-codes';
export { isQwenRelayError, type QwenRelayErrorLike } from './errors/is-qwen-relay-error';
export {
  QWEN_RELAY_ERROR_MARKER,
  QwenRelayError,
  type QwenRelayErrorOptions,
} from './errors/qwen-relay-error';
export type {
  CooldownReason,
  QwenClientEvent,
  RetryReason,
  UpstreamLimitKind,
} from './events/qwen-client-event';
export type { RelayEvent, RelayEventListener, RelayEventType } from './events/relay-event';
export type { SharedTokenEvent, SharedTokenEventType } from './events/shared-token-event';
export type {
  LockStaleReason,
  RefreshReason,
  TokenManagerEvent,
} from './events/token-manager-event';
export { isRecord } from './guards/is-record';
export { parseRetryAfterInMs } from './http/parse-retry-after';
export {
  excerptUpstreamBody,
  UPSTREAM_BODY_EXCERPT_LIMIT_IN_CHARS,
} from './redact/excerpt-upstream-body';
export { REDACTED, redactSecrets } from './redact/redact-secrets';
export { redactSecretsInValue } from './redact/redact-secrets-in-value';
export {
  MIN_SECRET_LENGTH_IN_CHARS,
  registerSecret,
  replaceSecret,
  unregisterSecret,
} from './redact/secret-registry';
export type { InvalidationReason, TokenSource, UpstreamToken } from './token/token-source';
