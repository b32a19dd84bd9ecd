import { QwenRelayAdapterError } from './qwen-relay-adapter-error';

/** The upstream stream ended without `[DONE]` and without an error event. */
export class StreamTruncatedError extends QwenRelayAdapterError {
  constructor({
    message = 'upstream stream ended before completion',
    cause,
  }: { message?: string; cause?: unknown } = {}) {
    super({ code: 'QWEN_RELAY_STREAM_TRUNCATED', message, status: 502, retryable: false, cause });
  }
}
