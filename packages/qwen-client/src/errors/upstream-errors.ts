import { QwenClientError, type QwenClientErrorOptions } from './qwen-client-error';

// each class fills in its code; the status defaults to the code's status in the table
type ErrorOptions = Omit<QwenClientErrorOptions, 'code'>;

/** 401/403 (or an auth-looking message) that survived one refresh-and-retry. */
export class UpstreamAuthError extends QwenClientError {
  declare readonly code: 'QWEN_RELAY_UPSTREAM_AUTH_FAILED';
  constructor(options: ErrorOptions) {
    super({ ...options, code: 'QWEN_RELAY_UPSTREAM_AUTH_FAILED' });
  }
}

/** 429 throttling (per-minute rate limit); retryable after `retryAfterInMs`. */
export class UpstreamRateLimitedError extends QwenClientError {
  declare readonly code: 'QWEN_RELAY_UPSTREAM_RATE_LIMITED';
  constructor(options: ErrorOptions) {
    super({ retryable: true, ...options, code: 'QWEN_RELAY_UPSTREAM_RATE_LIMITED', status: 429 });
  }
}

/** 429 `insufficient_quota` / "free allocated quota exceeded": the account's quota is spent. */
export class QuotaExceededError extends QwenClientError {
  declare readonly code: 'QWEN_RELAY_UPSTREAM_QUOTA_EXCEEDED';
  constructor(options: ErrorOptions) {
    super({
      ...options,
      code: 'QWEN_RELAY_UPSTREAM_QUOTA_EXCEEDED',
      status: 429,
      retryable: false,
    });
  }
}

/** Every account is cooling down; fails fast without calling upstream. */
export class AllAccountsCoolingDownError extends QwenClientError {
  declare readonly code: 'QWEN_RELAY_ALL_ACCOUNTS_COOLING_DOWN';
  constructor(options: ErrorOptions) {
    super({
      ...options,
      code: 'QWEN_RELAY_ALL_ACCOUNTS_COOLING_DOWN',
      status: 429,
      retryable: true,
    });
  }
}

/** 400/404/413/422 or content moderation: the request itself was refused; never retried. */
export class UpstreamBadRequestError extends QwenClientError {
  declare readonly code: 'QWEN_RELAY_UPSTREAM_BAD_REQUEST';
  constructor(options: ErrorOptions) {
    super({ ...options, code: 'QWEN_RELAY_UPSTREAM_BAD_REQUEST', retryable: false });
  }
}

/** 5xx from upstream (502 to the client, 504 when upstream said 504). */
export class UpstreamServerError extends QwenClientError {
  declare readonly code: 'QWEN_RELAY_UPSTREAM_SERVER_ERROR';
  /** upstream answered `504 stream timeout` (seen when a token expired mid-session) */
  readonly streamTimeout: boolean;
  constructor(options: ErrorOptions & { streamTimeout?: boolean }) {
    super({
      ...options,
      code: 'QWEN_RELAY_UPSTREAM_SERVER_ERROR',
      status: options.upstreamStatus === 504 ? 504 : 502,
    });
    this.streamTimeout = options.streamTimeout ?? false;
  }
}

/** A per-phase time limit fired; `phase` says which one. */
export class UpstreamTimeoutError extends QwenClientError {
  declare readonly code: 'QWEN_RELAY_UPSTREAM_TIMEOUT';
  constructor(options: ErrorOptions & { phase: NonNullable<QwenClientErrorOptions['phase']> }) {
    super({
      retryable: options.phase !== 'total',
      ...options,
      code: 'QWEN_RELAY_UPSTREAM_TIMEOUT',
      status: 504,
    });
  }
}

/** The connection failed or broke before a response (reset, refused, DNS, socket closed). */
export class UpstreamConnectionError extends QwenClientError {
  declare readonly code: 'QWEN_RELAY_UPSTREAM_CONNECTION_FAILED';
  /** the system or undici error code, e.g. ECONNRESET */
  declare readonly socketCode?: string;
  constructor(options: ErrorOptions & { socketCode?: string }) {
    super({
      retryable: true,
      ...options,
      code: 'QWEN_RELAY_UPSTREAM_CONNECTION_FAILED',
      status: 502,
    });
    if (options.socketCode !== undefined) this.socketCode = options.socketCode;
  }
}

/** A 2xx that is not what was asked for (HTML gateway/WAF page, non-JSON, broken JSON). */
export class UpstreamBadResponseError extends QwenClientError {
  declare readonly code: 'QWEN_RELAY_UPSTREAM_BAD_RESPONSE';
  constructor(options: ErrorOptions) {
    super({ retryable: true, ...options, code: 'QWEN_RELAY_UPSTREAM_BAD_RESPONSE', status: 502 });
  }
}

/** The caller aborted (client gone); never retried, nothing is sent to anyone. */
export class AbortedError extends QwenClientError {
  declare readonly code: 'QWEN_RELAY_ABORTED';
  constructor(options: Partial<ErrorOptions> = {}) {
    super({
      message: 'The request was aborted by the caller',
      ...options,
      code: 'QWEN_RELAY_ABORTED',
      status: 499,
    });
  }
}
