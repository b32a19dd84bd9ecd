import type { QwenRelayErrorLike } from './is-qwen-relay-error';

/** OpenAI status, `type` and `code` of one error code. */
export interface ErrorMapping {
  status: number;
  type: string;
  code: string | null;
}

/** The ARCHITECTURE.md table: code → client status, OpenAI `type` and `code`. */
export const ERROR_MAPPINGS: Readonly<Record<string, ErrorMapping>> = {
  QWEN_RELAY_INVALID_REQUEST: { status: 400, type: 'invalid_request_error', code: 'invalid_value' },
  QWEN_RELAY_NESTING_TOO_DEEP: {
    status: 400,
    type: 'invalid_request_error',
    code: 'nesting_too_deep',
  },
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
  QWEN_RELAY_MODEL_NOT_FOUND: {
    status: 404,
    type: 'invalid_request_error',
    code: 'model_not_found',
  },
  QWEN_RELAY_METHOD_NOT_ALLOWED: {
    status: 405,
    type: 'invalid_request_error',
    code: 'method_not_allowed',
  },
  QWEN_RELAY_FORBIDDEN_HOST: { status: 403, type: 'permission_error', code: 'forbidden_host' },
  QWEN_RELAY_FORBIDDEN_ORIGIN: {
    status: 403,
    type: 'permission_error',
    code: 'forbidden_origin',
  },
  QWEN_RELAY_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    type: 'invalid_request_error',
    code: 'unsupported_media_type',
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
  QWEN_RELAY_CREDENTIALS_DIR_UNWRITABLE: {
    status: 503,
    type: 'server_error',
    code: 'credentials_dir_unwritable',
  },
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

/** Mapping of a future QWEN_RELAY_* code: keeps its status when it has one. */
export function mapUnknownCode(error: QwenRelayErrorLike): ErrorMapping {
  const status =
    typeof error.status === 'number' && error.status >= 400 && error.status <= 599
      ? error.status
      : 500;
  const type = status >= 500 ? 'server_error' : 'invalid_request_error';
  return { status, type, code: error.code.replace(/^QWEN_RELAY_/, '').toLowerCase() };
}
