import { QwenRelayError } from '@qwen-relay/contracts';

/** The upstream answered with something that is not the expected wire shape (or an oversized SSE line). */
export class UpstreamBadResponseError extends QwenRelayError {
  declare readonly code: 'QWEN_RELAY_UPSTREAM_BAD_RESPONSE';
  constructor({ message, cause }: { message: string; cause?: unknown }) {
    super({
      code: 'QWEN_RELAY_UPSTREAM_BAD_RESPONSE',
      message,
      retryable: false,
      cause,
    });
  }
}
