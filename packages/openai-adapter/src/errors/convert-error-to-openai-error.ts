import {
  ERROR_CODES,
  isKnownErrorCode,
  isQwenRelayError,
  type QwenRelayErrorLike,
  redactSecrets,
} from '@qwen-relay/contracts';

/** The OpenAI error envelope body. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Everything the proxy needs to answer an error: status, headers (Retry-After) and the envelope. */
export interface OpenAIErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: OpenAIErrorBody;
}

const GENERIC_MESSAGE = 'Internal error in qwen-relay';

/** Status, OpenAI `type` and `code` of one answer. */
interface OpenAIErrorMapping {
  status: number;
  type: string;
  code: string | null;
}

/**
 * Maps any error (typed errors of every package, plain objects that crossed a worker boundary, or
 * anything else) to the OpenAI error envelope. Messages are redacted; unknown errors get a generic
 * message so internals never leak to clients.
 */
export function convertErrorToOpenAIError(error: unknown): OpenAIErrorResponse {
  if (!isQwenRelayError(error)) {
    return createResponse({
      status: 500,
      headers: {},
      message: GENERIC_MESSAGE,
      type: 'server_error',
      param: null,
      code: 'internal_error',
    });
  }
  let { status, type, code } = readMapping(error);
  let message = typeof error.message === 'string' && error.message !== '' ? error.message : type;
  let param = typeof error.param === 'string' ? error.param : null;
  switch (error.code) {
    case 'QWEN_RELAY_UPSTREAM_BAD_REQUEST': {
      const upstream = readUpstreamError(error.upstreamBody);
      status =
        pickClientErrorStatus(error.upstreamStatus) ?? pickClientErrorStatus(error.status) ?? 400;
      code = readString(error.upstreamCode) ?? upstream?.code ?? code;
      // the upstream's own words, unless the error extends them (a plan explanation appended)
      if (upstream?.message !== undefined && !message.startsWith(upstream.message.trim())) {
        message = upstream.message;
      }
      param = param ?? upstream?.param ?? null;
      break;
    }
    case 'QWEN_RELAY_UPSTREAM_SERVER_ERROR':
      if (error.upstreamStatus === 504 || error.status === 504) status = 504;
      break;
    case 'QWEN_RELAY_UPSTREAM_TIMEOUT':
      if (typeof error.phase === 'string' && /^[a-z]+$/.test(error.phase)) {
        code = `upstream_${error.phase}_timeout`;
      }
      break;
    case 'QWEN_RELAY_UPSTREAM_STREAM_ERROR':
      type = readString(error.upstreamErrorType) ?? type;
      code =
        error.upstreamErrorCode === null ? null : (readString(error.upstreamErrorCode) ?? code);
      break;
  }
  const headers: Record<string, string> = {};
  if (typeof error.retryAfterInMs === 'number' && Number.isFinite(error.retryAfterInMs)) {
    headers['Retry-After'] = String(Math.max(0, Math.ceil(error.retryAfterInMs / 1000)));
  }
  return createResponse({ status, headers, message, type, param, code });
}

function createResponse({
  status,
  headers,
  message,
  type,
  param,
  code,
}: OpenAIErrorMapping & {
  headers: Record<string, string>;
  message: string;
  param: string | null;
}): OpenAIErrorResponse {
  return {
    status,
    headers,
    body: { error: { message: redactSecrets(message), type, param, code } },
  };
}

// the code's row of the contracts table; a code of a newer version keeps its own status
function readMapping(error: QwenRelayErrorLike): OpenAIErrorMapping {
  if (isKnownErrorCode(error.code)) {
    const { status, openAIType, openAICode } = ERROR_CODES[error.code];
    return { status, type: openAIType, code: openAICode };
  }
  const status =
    typeof error.status === 'number' && error.status >= 400 && error.status <= 599
      ? error.status
      : 500;
  const type = status >= 500 ? 'server_error' : 'invalid_request_error';
  return { status, type, code: error.code.replace(/^QWEN_RELAY_/, '').toLowerCase() };
}

function pickClientErrorStatus(status: unknown): number | undefined {
  return typeof status === 'number' && status >= 400 && status <= 499 ? status : undefined;
}

function readString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// upstream bodies are `{"error":{"code","param","message","type"}}`, as an object or as JSON text
function readUpstreamError(
  body: unknown,
): { code?: string; message?: string; param?: string } | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const inner = (value as { error?: unknown }).error;
  if (typeof inner !== 'object' || inner === null) return undefined;
  const record = inner as Record<string, unknown>;
  const result: { code?: string; message?: string; param?: string } = {};
  const code = readString(record.code);
  const message = readString(record.message);
  const param = readString(record.param);
  if (code !== undefined) result.code = code;
  if (message !== undefined) result.message = message;
  if (param !== undefined) result.param = param;
  return result;
}
