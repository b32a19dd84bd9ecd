import { isQwenRelayError, type QwenRelayErrorLike } from './is-qwen-relay-error';
import { redactSecrets } from './redact-secrets';

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

interface ErrorMapping {
  status: number;
  type: string;
  code: string | null;
}

/** The ARCHITECTURE.md table: code → client status, OpenAI `type` and `code`. */
const ERROR_MAPPINGS: Readonly<Record<string, ErrorMapping>> = {
  QWEN_RELAY_INVALID_REQUEST: { status: 400, type: 'invalid_request_error', code: 'invalid_value' },
  QWEN_RELAY_INVALID_JSON: { status: 400, type: 'invalid_request_error', code: 'invalid_json' },
  QWEN_RELAY_BODY_TOO_LARGE: {
    status: 413,
    type: 'invalid_request_error',
    code: 'request_too_large',
  },
  QWEN_RELAY_PROXY_UNAUTHORIZED: {
    status: 401,
    type: 'authentication_error',
    code: 'invalid_api_key',
  },
  QWEN_RELAY_NOT_FOUND: { status: 404, type: 'invalid_request_error', code: 'not_found' },
  QWEN_RELAY_METHOD_NOT_ALLOWED: {
    status: 405,
    type: 'invalid_request_error',
    code: 'method_not_allowed',
  },
  QWEN_RELAY_NO_CREDENTIALS: { status: 401, type: 'authentication_error', code: 'no_credentials' },
  QWEN_RELAY_NEEDS_REAUTH: { status: 401, type: 'authentication_error', code: 'needs_reauth' },
  QWEN_RELAY_CORRUPT_CREDENTIALS: {
    status: 503,
    type: 'server_error',
    code: 'corrupt_credentials',
  },
  QWEN_RELAY_TOKEN_REFRESH_FAILED: {
    status: 503,
    type: 'server_error',
    code: 'token_refresh_failed',
  },
  QWEN_RELAY_LOCK_TIMEOUT: { status: 503, type: 'server_error', code: 'lock_timeout' },
  // CLI-only codes: never expected on the HTTP path, mapped so nothing falls through unnamed
  QWEN_RELAY_DEVICE_FLOW_DENIED: { status: 500, type: 'server_error', code: 'device_flow_denied' },
  QWEN_RELAY_DEVICE_FLOW_EXPIRED: {
    status: 500,
    type: 'server_error',
    code: 'device_flow_expired',
  },
  QWEN_RELAY_DEVICE_FLOW_FAILED: { status: 500, type: 'server_error', code: 'device_flow_failed' },
  QWEN_RELAY_UPSTREAM_AUTH_FAILED: {
    status: 401,
    type: 'authentication_error',
    code: 'upstream_auth_failed',
  },
  QWEN_RELAY_UPSTREAM_RATE_LIMITED: {
    status: 429,
    type: 'rate_limit_error',
    code: 'rate_limit_exceeded',
  },
  QWEN_RELAY_UPSTREAM_QUOTA_EXCEEDED: {
    status: 429,
    type: 'insufficient_quota',
    code: 'insufficient_quota',
  },
  QWEN_RELAY_ALL_ACCOUNTS_COOLING_DOWN: {
    status: 429,
    type: 'rate_limit_error',
    code: 'all_accounts_cooling_down',
  },
  QWEN_RELAY_UPSTREAM_BAD_REQUEST: {
    status: 400,
    type: 'invalid_request_error',
    code: 'upstream_bad_request',
  },
  QWEN_RELAY_UPSTREAM_SERVER_ERROR: {
    status: 502,
    type: 'upstream_error',
    code: 'upstream_server_error',
  },
  QWEN_RELAY_UPSTREAM_TIMEOUT: { status: 504, type: 'timeout_error', code: 'upstream_timeout' },
  QWEN_RELAY_UPSTREAM_CONNECTION_FAILED: {
    status: 502,
    type: 'upstream_error',
    code: 'upstream_connection_failed',
  },
  QWEN_RELAY_UPSTREAM_BAD_RESPONSE: {
    status: 502,
    type: 'upstream_error',
    code: 'upstream_bad_response',
  },
  // the client is gone, nothing is sent; 499 is nginx's "client closed request" for logs/metrics
  QWEN_RELAY_ABORTED: { status: 499, type: 'request_aborted', code: 'aborted' },
  QWEN_RELAY_UPSTREAM_STREAM_ERROR: {
    status: 502,
    type: 'upstream_error',
    code: 'upstream_stream_error',
  },
  QWEN_RELAY_STREAM_TRUNCATED: { status: 502, type: 'upstream_error', code: 'stream_truncated' },
};

const GENERIC_MESSAGE = 'Internal error in qwen-relay';

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
  const mapping = ERROR_MAPPINGS[error.code] ?? mapUnknownCode(error);
  let { status, type, code } = mapping;
  let message = typeof error.message === 'string' && error.message !== '' ? error.message : type;
  let param = typeof error.param === 'string' ? error.param : null;
  switch (error.code) {
    case 'QWEN_RELAY_UPSTREAM_BAD_REQUEST': {
      const upstream = readUpstreamError(error.upstreamBody);
      status =
        pickClientErrorStatus(error.upstreamStatus) ?? pickClientErrorStatus(error.status) ?? 400;
      code = readString(error.upstreamCode) ?? upstream?.code ?? code;
      message = upstream?.message ?? message;
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
}: ErrorMapping & {
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

// a future QWEN_RELAY_* code: keep its message, derive the rest from its status
function mapUnknownCode(error: QwenRelayErrorLike): ErrorMapping {
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
