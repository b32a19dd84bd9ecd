import { QwenRelayError } from '@qwen-relay/contracts';

/**
 * An error the upstream reported inside a 200 response: a `data: {"error":...}` event, an in-band
 * `finish_reason: "error_finish"` chunk, or an `error` object in a JSON body. Keeps the upstream's
 * OpenAI-style `type`/`code` so the client sees what the upstream said.
 */
export class UpstreamStreamError extends QwenRelayError {
  declare readonly code: 'QWEN_RELAY_UPSTREAM_STREAM_ERROR';
  readonly upstreamErrorType: string;
  readonly upstreamErrorCode: string | null;

  constructor({
    message,
    upstreamErrorType = 'upstream_error',
    upstreamErrorCode = null,
    param = null,
    retryable = false,
  }: {
    message: string;
    upstreamErrorType?: string;
    upstreamErrorCode?: string | null;
    param?: string | null;
    retryable?: boolean;
  }) {
    super({ code: 'QWEN_RELAY_UPSTREAM_STREAM_ERROR', message, retryable, param });
    this.upstreamErrorType = upstreamErrorType;
    this.upstreamErrorCode = upstreamErrorCode;
  }
}
