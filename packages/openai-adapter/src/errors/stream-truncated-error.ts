import { QwenRelayError } from '@qwen-relay/contracts';

/** The upstream stream ended without `[DONE]` and without an error event. */
export class StreamTruncatedError extends QwenRelayError {
  declare readonly code: 'QWEN_RELAY_STREAM_TRUNCATED';
  constructor({
    message = 'upstream stream ended before completion',
    cause,
  }: { message?: string; cause?: unknown } = {}) {
    super({ code: 'QWEN_RELAY_STREAM_TRUNCATED', message, retryable: false, cause });
  }
}
