import type { AttemptRecord } from './attempt-record';

const qwenRelayErrorMarker = Symbol.for('qwen-relay.error');

/** Structured fields every qwen-client error may carry. */
export interface QwenClientErrorOptions {
  message: string;
  /** the HTTP status the proxy should answer with */
  status: number;
  retryable?: boolean;
  retryAfterInMs?: number;
  upstreamStatus?: number;
  /** truncated, secrets stripped */
  upstreamBody?: string;
  /** the upstream's `error.code` / `error.type` / `error.param`, when it sent a JSON envelope */
  upstreamCode?: string;
  upstreamType?: string;
  param?: string;
  phase?: UpstreamTimeoutPhase;
  accountId?: string;
  attempts?: readonly AttemptRecord[];
  cause?: unknown;
}

/** The phases a call can time out in. */
export type UpstreamTimeoutPhase = 'connect' | 'headers' | 'idle' | 'total';

/** Root of qwen-client's errors: a stable `code`, the project marker and structured fields. */
export abstract class QwenClientError extends Error {
  readonly [qwenRelayErrorMarker] = true;
  abstract readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  /** how long to wait before trying again; the client sets it to the cooldown left when it cooled the account */
  declare retryAfterInMs?: number;
  declare readonly upstreamStatus?: number;
  declare readonly upstreamBody?: string;
  declare readonly upstreamCode?: string;
  declare readonly upstreamType?: string;
  declare readonly param?: string;
  declare readonly phase?: UpstreamTimeoutPhase;
  declare readonly accountId?: string;
  /** attempt history of the call, filled in when the call gives up */
  attempts: readonly AttemptRecord[];

  constructor(options: QwenClientErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.attempts = options.attempts ?? [];
    // only set what is known: optional fields are `declare`d, so absent ones are not own properties
    if (options.retryAfterInMs !== undefined) this.retryAfterInMs = options.retryAfterInMs;
    if (options.upstreamStatus !== undefined) this.upstreamStatus = options.upstreamStatus;
    if (options.upstreamBody !== undefined) this.upstreamBody = options.upstreamBody;
    if (options.upstreamCode !== undefined) this.upstreamCode = options.upstreamCode;
    if (options.upstreamType !== undefined) this.upstreamType = options.upstreamType;
    if (options.param !== undefined) this.param = options.param;
    if (options.phase !== undefined) this.phase = options.phase;
    if (options.accountId !== undefined) this.accountId = options.accountId;
  }
}
