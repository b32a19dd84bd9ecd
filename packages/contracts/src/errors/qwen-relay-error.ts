import { ERROR_CODES, type QwenRelayErrorCode } from './error-codes';

/** The marker every qwen-relay error carries; `Symbol.for` so copies of a package agree on it. */
export const QWEN_RELAY_ERROR_MARKER: unique symbol = Symbol.for('qwen-relay.error') as never;

/** What every qwen-relay error is built from: a code of the table, a message, structured fields. */
export interface QwenRelayErrorOptions {
  code: QwenRelayErrorCode;
  /** one sentence for the user; never a secret */
  message: string;
  /** the HTTP status the proxy answers with; defaults to the code's status in the table */
  status?: number;
  retryable?: boolean;
  retryAfterInMs?: number;
  /** the request field at fault, OpenAI-style (`null`: none) */
  param?: string | null;
  upstreamStatus?: number;
  /** an excerpt of the upstream body: truncated, secrets removed */
  upstreamBody?: string;
  accountId?: string;
  cause?: unknown;
}

/**
 * Root of every error of the project: a stable `code` of {@link ERROR_CODES}, the marker, and
 * structured, secret-free fields, all set by the constructor.
 */
export class QwenRelayError extends Error {
  readonly [QWEN_RELAY_ERROR_MARKER] = true;
  readonly code: QwenRelayErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  declare readonly retryAfterInMs?: number;
  declare readonly param?: string | null;
  declare readonly upstreamStatus?: number;
  declare readonly upstreamBody?: string;
  declare readonly accountId?: string;

  constructor(options: QwenRelayErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.status = options.status ?? ERROR_CODES[options.code].status;
    this.retryable = options.retryable ?? false;
    // optional fields are `declare`d: absent ones are not own properties
    if (options.retryAfterInMs !== undefined) this.retryAfterInMs = options.retryAfterInMs;
    if (options.param !== undefined) this.param = options.param;
    if (options.upstreamStatus !== undefined) this.upstreamStatus = options.upstreamStatus;
    if (options.upstreamBody !== undefined) this.upstreamBody = options.upstreamBody;
    if (options.accountId !== undefined) this.accountId = options.accountId;
  }
}
