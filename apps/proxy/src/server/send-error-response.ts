import type { ServerResponse } from 'node:http';
import { convertErrorToOpenAIError } from '@qwen-relay/openai-adapter';
import { sendJson } from '../http/send-json';

/**
 * The one place errors become client responses (SSE errors go through the adapter's
 * `encodeSseErrorEvent`, which uses the same mapping): OpenAI envelope, status and Retry-After.
 */
export function sendErrorResponse({
  response,
  error,
  headers = {},
}: {
  response: ServerResponse;
  error: unknown;
  headers?: Record<string, string>;
}): number {
  const converted = convertErrorToOpenAIError(error);
  sendJson({
    response,
    status: converted.status,
    body: converted.body,
    headers: { ...converted.headers, ...headers },
  });
  return converted.status;
}
