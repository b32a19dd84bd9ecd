/** Marker every error of the project carries, so it survives package and worker boundaries. */
export const QWEN_RELAY_ERROR_MARKER: unique symbol = Symbol.for('qwen-relay.error') as never;

/** Structured fields an adapter error may carry (see ARCHITECTURE.md). */
export interface QwenRelayAdapterErrorOptions {
  status?: number;
  retryable?: boolean;
  param?: string | null;
  cause?: unknown;
}

/** Root class of the adapter's errors: a stable `code` plus structured fields, never secrets. */
export class QwenRelayAdapterError extends Error {
  readonly [QWEN_RELAY_ERROR_MARKER] = true;
  readonly code: string;
  readonly status?: number;
  readonly retryable?: boolean;
  readonly param?: string | null;

  constructor({
    code,
    message,
    status,
    retryable,
    param,
    cause,
  }: QwenRelayAdapterErrorOptions & { code: string; message: string }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    if (status !== undefined) this.status = status;
    if (retryable !== undefined) this.retryable = retryable;
    if (param !== undefined) this.param = param;
  }
}
