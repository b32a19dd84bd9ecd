import { QwenRelayError } from '@qwen-relay/contracts';

/** A refresh failed for a reason that is not a rejected refresh token (network, 5xx, WAF page...). */
export class TokenRefreshError extends QwenRelayError {
  /** short machine-readable cause: 'network' | 'timeout' | 'server-error' | 'non-json' | ... */
  readonly reason: string;

  constructor({
    reason,
    message,
    retryable,
    accountId,
    upstreamStatus,
    upstreamBody,
    retryAfterInMs,
    cause,
  }: {
    reason: string;
    message: string;
    retryable: boolean;
    accountId?: string;
    upstreamStatus?: number;
    upstreamBody?: string;
    retryAfterInMs?: number;
    cause?: unknown;
  }) {
    super({
      code: 'QWEN_RELAY_TOKEN_REFRESH_FAILED',
      message,
      retryable,
      ...(accountId === undefined ? {} : { accountId }),
      ...(upstreamStatus === undefined ? {} : { upstreamStatus }),
      ...(upstreamBody === undefined ? {} : { upstreamBody }),
      ...(retryAfterInMs === undefined ? {} : { retryAfterInMs }),
      ...(cause === undefined ? {} : { cause }),
    });
    this.reason = reason;
  }
}
