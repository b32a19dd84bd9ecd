import { QwenRelayAdapterError } from './qwen-relay-adapter-error';

/** The upstream answered with something that is not the expected wire shape (or an oversized SSE line). */
export class UpstreamBadResponseError extends QwenRelayAdapterError {
  constructor({ message, cause }: { message: string; cause?: unknown }) {
    super({
      code: 'QWEN_RELAY_UPSTREAM_BAD_RESPONSE',
      message,
      status: 502,
      retryable: false,
      cause,
    });
  }
}
