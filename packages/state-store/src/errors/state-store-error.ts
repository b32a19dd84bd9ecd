/** Why a state store operation failed. */
export type StateStoreErrorCode =
  | 'QWEN_RELAY_STATE_STORE_UNAVAILABLE'
  | 'QWEN_RELAY_STATE_STORE_CORRUPT'
  | 'QWEN_RELAY_STATE_STORE_INVALID_ARGUMENT';

/** An error of a {@link StateStore}; `code` says which kind, the message never holds a secret. */
export class StateStoreError extends Error {
  readonly code: StateStoreErrorCode;
  readonly retryable: boolean;

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
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StateStoreError';
    this.code = code;
    this.retryable = retryable;
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
