import { randomUUID } from 'node:crypto';

/** Inner `error` object of the DashScope compatible-mode envelope (docs/qwen-upstream.md §3.1). */
export interface UpstreamErrorObject {
  code: string;
  message: string;
  param: null;
  type: string;
}

/** Builds a DashScope error envelope with a fresh `request_id` (and `id` when asked). */
export function createUpstreamErrorBody({
  code,
  message,
  type,
  withCompletionId = false,
}: {
  code: string;
  message: string;
  type: string;
  withCompletionId?: boolean;
}): Record<string, unknown> {
  const requestId = randomUUID();
  const error: UpstreamErrorObject = { code, message, param: null, type };
  return withCompletionId
    ? { error, id: `chatcmpl-${requestId}`, request_id: requestId }
    : { error, request_id: requestId };
}

/** 401 body for an expired, invalid or revoked access token (captured, docs/qwen-upstream.md §3.2). */
export function createInvalidApiKeyBody(): Record<string, unknown> {
  return createUpstreamErrorBody({
    code: 'invalid_api_key',
    message: 'invalid access token or token expired',
    type: 'invalid_request_error',
  });
}

/** 400 `invalid_parameter_error` body (malformed payload, ranges, strict quirks). */
export function createInvalidParameterBody(message: string): Record<string, unknown> {
  return createUpstreamErrorBody({
    code: 'invalid_parameter_error',
    message,
    type: 'invalid_request_error',
    withCompletionId: true,
  });
}

/** Mid-stream output moderation error object (docs/qwen-upstream.md §3.2), sent as `data: {"error":...}`. */
export const OUTPUT_MODERATION_ERROR = {
  message: 'Output data may contain inappropriate content.',
  type: 'data_inspection_failed',
  param: null,
  code: 'data_inspection_failed',
} as const;

/** OAuth-style error body of the token and device endpoints: `{"error","error_description"}`. */
export function createOAuthErrorBody(
  error: string,
  errorDescription: string,
): { error: string; error_description: string } {
  return { error, error_description: errorDescription };
}
