import {
  convertErrorToAnthropicError,
  convertErrorToOpenAIError,
} from '@qwen-relay/openai-adapter';
import type { ErrorProtocol } from './error-protocol';

/** Status, headers (Retry-After) and envelope of an error in the request's protocol. */
export function convertErrorForProtocol({
  error,
  protocol,
}: {
  error: unknown;
  protocol: ErrorProtocol;
}): { status: number; headers: Record<string, string>; body: unknown } {
  return protocol === 'anthropic'
    ? convertErrorToAnthropicError(error)
    : convertErrorToOpenAIError(error);
}
