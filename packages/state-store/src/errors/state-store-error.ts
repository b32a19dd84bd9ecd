import { QwenRelayError } from '@qwen-relay/contracts';

/** Why a state store operation failed. */
export type StateStoreErrorCode =
  | 'QWEN_RELAY_STATE_STORE_UNAVAILABLE'
  | 'QWEN_RELAY_STATE_STORE_CORRUPT'
  | 'QWEN_RELAY_STATE_STORE_INVALID_ARGUMENT';

/** An error of a {@link StateStore}; `code` says which kind, the message never holds a secret. */
export class StateStoreError extends QwenRelayError {
  declare readonly code: StateStoreErrorCode;

  constructor({
    code,
    message,
    retryable = false,
    cause,
  }: {
    code: StateStoreErrorCode;
    message: string;
    retryable?: boolean;
    cause?: unknown;
  }) {
    super({ code, message, retryable, cause });
  }
}

/** True for a {@link StateStoreError} of the given code (or any code when omitted). */
export function isStateStoreError(
  error: unknown,
  code?: StateStoreErrorCode,
): error is StateStoreError {
  return (
    error instanceof StateStoreError &&
    (code === undefined || (error as StateStoreError).code === code)
  );
}
