/** The marker every qwen-relay error carries, shared across packages and worker boundaries. */
export const QWEN_RELAY_ERROR_MARKER: unique symbol = Symbol.for('qwen-relay.error');

/** Structured, secret-free fields an error may carry besides its message. */
export interface QwenRelayErrorFields {
  status?: number;
  retryable?: boolean;
  retryAfterInMs?: number;
  upstreamStatus?: number;
  upstreamBody?: string;
  accountId?: string;
  cause?: unknown;
}

/** Root of the token-manager error hierarchy: a stable `code` plus structured fields. */
export class QwenRelayError extends Error {
  readonly [QWEN_RELAY_ERROR_MARKER] = true;
  readonly code: string;
  readonly status?: number;
  readonly retryable?: boolean;
  readonly retryAfterInMs?: number;
  readonly upstreamStatus?: number;
  readonly upstreamBody?: string;
  readonly accountId?: string;

  constructor({
    code,
    message,
    ...fields
  }: { code: string; message: string } & QwenRelayErrorFields) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = new.target.name;
    this.code = code;
    // assign only the fields that are present (exactOptionalPropertyTypes)
    if (fields.status !== undefined) this.status = fields.status;
    if (fields.retryable !== undefined) this.retryable = fields.retryable;
    if (fields.retryAfterInMs !== undefined) this.retryAfterInMs = fields.retryAfterInMs;
    if (fields.upstreamStatus !== undefined) this.upstreamStatus = fields.upstreamStatus;
    if (fields.upstreamBody !== undefined) this.upstreamBody = fields.upstreamBody;
    if (fields.accountId !== undefined) this.accountId = fields.accountId;
  }
}

/** Recognises any qwen-relay error by marker, or by a `QWEN_RELAY_*` code for plain objects. */
export function isQwenRelayError(
  error: unknown,
): error is { code: string; message: string } & QwenRelayErrorFields {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Record<PropertyKey, unknown>)[QWEN_RELAY_ERROR_MARKER] === true) return true;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && code.startsWith('QWEN_RELAY_');
}
