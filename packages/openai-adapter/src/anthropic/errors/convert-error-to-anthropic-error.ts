import {
  type AnthropicErrorType,
  ERROR_CODES,
  isKnownErrorCode,
  isQwenRelayError,
} from '@qwen-relay/contracts';
import { convertErrorToOpenAIError } from '../../errors/convert-error-to-openai-error';

/** Anthropic error types (the `error.type` of the envelope), as the contracts table names them. */
export type { AnthropicErrorType };

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
 * same status, message (redacted) and `Retry-After` the OpenAI envelope would carry. The type is
 * the contracts table's for the error's code; an error answered with another status than the
 * table's (an upstream 404, 403 or 413) gets the type Anthropic documents for that status (see
 * {@link mapStatusToAnthropicErrorType}), and an in-stream upstream error keeps its own type when
 * it already is an Anthropic one.
 */
export function convertErrorToAnthropicError(error: unknown): AnthropicErrorResponse {
  const openai = convertErrorToOpenAIError(error);
  let type =
    readTableType({ error, status: openai.status }) ?? mapStatusToAnthropicErrorType(openai.status);
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

// the table's type, when the error is answered with the table's status for its code
function readTableType({
  error,
  status,
}: {
  error: unknown;
  status: number;
}): AnthropicErrorType | undefined {
  if (!isQwenRelayError(error) || typeof error.code !== 'string') return undefined;
  if (!isKnownErrorCode(error.code)) return undefined;
  const mapping = ERROR_CODES[error.code];
  return mapping.status === status ? mapping.anthropicType : undefined;
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
