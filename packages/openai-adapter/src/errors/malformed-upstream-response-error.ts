import { QwenRelayError } from '@qwen-relay/contracts';

/**
 * The upstream's answer, already received, does not have the expected wire shape (or an SSE line
 * is oversized); qwen-client's `UpstreamBadResponseError` shares the code but is raised before a
 * body is handed out, where another attempt can help.
 */
export class MalformedUpstreamResponseError extends QwenRelayError {
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
