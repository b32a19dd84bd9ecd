import { convertErrorToOpenAIError } from '../../errors/convert-error-to-openai-error';
import { isQwenRelayError } from '../../errors/is-qwen-relay-error';

/** Anthropic error types (the `error.type` of the envelope). */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

/** The Anthropic error envelope. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
}

/** Everything the proxy needs to answer an error on an Anthropic route. */
export interface AnthropicErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: AnthropicErrorBody;
}

const ANTHROPIC_TYPES = new Set<string>([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'overloaded_error',
]);

/**
 * Maps any error to the Anthropic envelope `{"type":"error","error":{type,message}}` with the
 * same status, message (redacted) and `Retry-After` the OpenAI envelope would carry: status
 * decides the type (400 → invalid_request_error, 401 → authentication_error, 403 →
 * permission_error, 404 → not_found_error, 413 → request_too_large, 429 → rate_limit_error,
 * 529 → overloaded_error, other 5xx → api_error); an in-stream upstream error keeps its type
 * when it already is an Anthropic one.
 */
export function convertErrorToAnthropicError(error: unknown): AnthropicErrorResponse {
  const openai = convertErrorToOpenAIError(error);
  let type = mapStatusToAnthropicErrorType(openai.status);
  if (isQwenRelayError(error) && error.code === 'QWEN_RELAY_UPSTREAM_STREAM_ERROR') {
    const upstreamType = error.upstreamErrorType;
    type =
      typeof upstreamType === 'string' && ANTHROPIC_TYPES.has(upstreamType)
        ? (upstreamType as AnthropicErrorType)
        : 'api_error';
  }
  return {
    status: openai.status,
    headers: openai.headers,
    body: { type: 'error', error: { type, message: openai.body.error.message } },
  };
}

/** HTTP status → Anthropic error type (Anthropic's documented table; other 4xx are invalid requests). */
export function mapStatusToAnthropicErrorType(status: number): AnthropicErrorType {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/** The SSE `error` event that ends a failed Anthropic stream (the SDKs raise on it). */
export function formatAnthropicSseErrorEvent(error: unknown): string {
  const { body } = convertErrorToAnthropicError(error);
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}

const encoder = new TextEncoder();

/** Byte form of {@link formatAnthropicSseErrorEvent}. */
export function encodeAnthropicSseErrorEvent(error: unknown): Uint8Array {
  return encoder.encode(formatAnthropicSseErrorEvent(error));
}
