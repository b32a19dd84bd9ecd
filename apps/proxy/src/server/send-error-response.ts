import type { ServerResponse } from 'node:http';
import { sendJson } from '../http/send-json';
import { convertErrorForProtocol } from './convert-error-for-protocol';
import type { ErrorProtocol } from './error-protocol';

/**
 * The one place errors become client responses (SSE errors go through the adapter's
 * `encodeSseErrorEvent` / `encodeAnthropicSseErrorEvent`, which use the same mapping): the
 * envelope of the request's protocol (OpenAI, or Anthropic on `/v1/messages`), status and
 * Retry-After.
 */
export function sendErrorResponse({
  response,
  error,
  headers = {},
  protocol = 'openai',
}: {
  response: ServerResponse;
  error: unknown;
  headers?: Record<string, string>;
  protocol?: ErrorProtocol;
}): number {
  const converted = convertErrorForProtocol({ error, protocol });
  sendJson({
    response,
    status: converted.status,
    body: converted.body,
    headers: { ...converted.headers, ...headers },
  });
  return converted.status;
}
