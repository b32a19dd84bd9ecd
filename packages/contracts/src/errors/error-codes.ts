/** The error `type` values of the Anthropic Messages API. */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

/** How one error code reaches clients: default status, OpenAI `type`/`code`, Anthropic `type`. */
export interface ErrorCodeMapping {
  /** HTTP status answered by default (an error may carry its own, e.g. the upstream's 4xx) */
  readonly status: number;
  /** OpenAI envelope `error.type` */
  readonly openAIType: string;
  /** OpenAI envelope `error.code` */
  readonly openAICode: string;
  /** Anthropic envelope `error.type` */
  readonly anthropicType: AnthropicErrorType;
  /** where the code is raised: `http` codes reach API clients, `cli` codes only the terminal */
  readonly surface: 'http' | 'cli';
}

/**
 * Every error code of the project and how it reaches clients. The root error class only accepts
 * a key of this table, so a code without a mapping does not compile. Codes raised only by the
 * CLI or at start-up still have a mapping, so nothing falls through unnamed.
 */
export const ERROR_CODES = {
  QWEN_RELAY_INVALID_REQUEST: {
    status: 400,
    openAIType: 'invalid_request_error',
    openAICode: 'invalid_value',
    anthropicType: 'invalid_request_error',
    surface: 'http',
  },
  QWEN_RELAY_NESTING_TOO_DEEP: {
    status: 400,
    openAIType: 'invalid_request_error',
    openAICode: 'nesting_too_deep',
    anthropicType: 'invalid_request_error',
    surface: 'http',
  },
  QWEN_RELAY_INVALID_JSON: {
    status: 400,
    openAIType: 'invalid_request_error',
    openAICode: 'invalid_json',
    anthropicType: 'invalid_request_error',
    surface: 'http',
  },
  QWEN_RELAY_BODY_TOO_LARGE: {
    status: 413,
    openAIType: 'invalid_request_error',
    openAICode: 'request_too_large',
    anthropicType: 'request_too_large',
    surface: 'http',
  },
  QWEN_RELAY_PROXY_UNAUTHORIZED: {
    status: 401,
    openAIType: 'authentication_error',
    openAICode: 'invalid_api_key',
    anthropicType: 'authentication_error',
    surface: 'http',
  },
  QWEN_RELAY_NOT_FOUND: {
    status: 404,
    openAIType: 'invalid_request_error',
    openAICode: 'not_found',
    anthropicType: 'not_found_error',
    surface: 'http',
  },
  QWEN_RELAY_MODEL_NOT_FOUND: {
    status: 404,
    openAIType: 'invalid_request_error',
    openAICode: 'model_not_found',
    anthropicType: 'not_found_error',
    surface: 'http',
  },
  QWEN_RELAY_METHOD_NOT_ALLOWED: {
    status: 405,
    openAIType: 'invalid_request_error',
    openAICode: 'method_not_allowed',
    anthropicType: 'invalid_request_error',
    surface: 'http',
  },
  QWEN_RELAY_FORBIDDEN_HOST: {
    status: 403,
    openAIType: 'permission_error',
    openAICode: 'forbidden_host',
    anthropicType: 'permission_error',
    surface: 'http',
  },
  QWEN_RELAY_FORBIDDEN_ORIGIN: {
    status: 403,
    openAIType: 'permission_error',
    openAICode: 'forbidden_origin',
    anthropicType: 'permission_error',
    surface: 'http',
  },
  QWEN_RELAY_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    openAIType: 'invalid_request_error',
    openAICode: 'unsupported_media_type',
    anthropicType: 'invalid_request_error',
    surface: 'http',
  },
  QWEN_RELAY_SHUTTING_DOWN: {
    status: 503,
    openAIType: 'server_error',
    openAICode: 'shutting_down',
    anthropicType: 'overloaded_error',
    surface: 'http',
  },
  QWEN_RELAY_NO_CREDENTIALS: {
    status: 401,
    openAIType: 'authentication_error',
    openAICode: 'no_credentials',
    anthropicType: 'authentication_error',
    surface: 'http',
  },
  QWEN_RELAY_NEEDS_REAUTH: {
    status: 401,
    openAIType: 'authentication_error',
    openAICode: 'needs_reauth',
    anthropicType: 'authentication_error',
    surface: 'http',
  },
  QWEN_RELAY_CORRUPT_CREDENTIALS: {
    status: 503,
    openAIType: 'server_error',
    openAICode: 'corrupt_credentials',
    anthropicType: 'api_error',
    surface: 'http',
  },
  QWEN_RELAY_TOKEN_REFRESH_FAILED: {
    status: 503,
    openAIType: 'server_error',
    openAICode: 'token_refresh_failed',
    anthropicType: 'api_error',
    surface: 'http',
  },
  QWEN_RELAY_LOCK_TIMEOUT: {
    status: 503,
    openAIType: 'server_error',
    openAICode: 'lock_timeout',
    anthropicType: 'api_error',
    surface: 'http',
  },
  QWEN_RELAY_CREDENTIALS_DIR_UNWRITABLE: {
    status: 503,
    openAIType: 'server_error',
    openAICode: 'credentials_dir_unwritable',
    anthropicType: 'api_error',
    surface: 'http',
  },
  QWEN_RELAY_UPSTREAM_AUTH_FAILED: {
    status: 401,
    openAIType: 'authentication_error',
    openAICode: 'upstream_auth_failed',
    anthropicType: 'authentication_error',
    surface: 'http',
  },
  QWEN_RELAY_UPSTREAM_RATE_LIMITED: {
    status: 429,
    openAIType: 'rate_limit_error',
    openAICode: 'rate_limit_exceeded',
    anthropicType: 'rate_limit_error',
    surface: 'http',
  },
  QWEN_RELAY_UPSTREAM_QUOTA_EXCEEDED: {
    status: 429,
    openAIType: 'insufficient_quota',
    openAICode: 'insufficient_quota',
    anthropicType: 'rate_limit_error',
    surface: 'http',
  },
  QWEN_RELAY_ALL_ACCOUNTS_COOLING_DOWN: {
    status: 429,
    openAIType: 'rate_limit_error',
    openAICode: 'all_accounts_cooling_down',
    anthropicType: 'rate_limit_error',
    surface: 'http',
  },
  QWEN_RELAY_UPSTREAM_BAD_REQUEST: {
    status: 400,
    openAIType: 'invalid_request_error',
    openAICode: 'upstream_bad_request',
    anthropicType: 'invalid_request_error',
    surface: 'http',
  },
  QWEN_RELAY_UPSTREAM_SERVER_ERROR: {
    status: 502,
    openAIType: 'upstream_error',
    openAICode: 'upstream_server_error',
    anthropicType: 'api_error',
    surface: 'http',
  },
  QWEN_RELAY_UPSTREAM_TIMEOUT: {
    status: 504,
    openAIType: 'timeout_error',
    openAICode: 'upstream_timeout',
    anthropicType: 'api_error',
    surface: 'http',
  },
  QWEN_RELAY_UPSTREAM_CONNECTION_FAILED: {
    status: 502,
    openAIType: 'upstream_error',
    openAICode: 'upstream_connection_failed',
    anthropicType: 'api_error',
    surface: 'http',
  },
  QWEN_RELAY_UPSTREAM_BAD_RESPONSE: {
    status: 502,
    openAIType: 'upstream_error',
    openAICode: 'upstream_bad_response',
    anthropicType: 'api_error',
    surface: 'http',
  },
  // the client is gone and nothing is sent; 499 is nginx's "client closed request" for logs
  QWEN_RELAY_ABORTED: {
    status: 499,
    openAIType: 'request_aborted',
    openAICode: 'aborted',
    anthropicType: 'api_error',
    surface: 'http',
  },
  QWEN_RELAY_UPSTREAM_STREAM_ERROR: {
    status: 502,
    openAIType: 'upstream_error',
    openAICode: 'upstream_stream_error',
    anthropicType: 'api_error',
    surface: 'http',
  },
  QWEN_RELAY_STREAM_TRUNCATED: {
    status: 502,
    openAIType: 'upstream_error',
    openAICode: 'stream_truncated',
    anthropicType: 'api_error',
    surface: 'http',
  },
  QWEN_RELAY_STATE_STORE_UNAVAILABLE: {
    status: 503,
    openAIType: 'server_error',
    openAICode: 'state_store_unavailable',
    anthropicType: 'api_error',
    surface: 'http',
  },
  QWEN_RELAY_STATE_STORE_CORRUPT: {
    status: 503,
    openAIType: 'server_error',
    openAICode: 'state_store_corrupt',
    anthropicType: 'api_error',
    surface: 'http',
  },
  // a caller passed a bad key or value: a bug of ours, never the client's
  QWEN_RELAY_STATE_STORE_INVALID_ARGUMENT: {
    status: 500,
    openAIType: 'server_error',
    openAICode: 'state_store_invalid_argument',
    anthropicType: 'api_error',
    surface: 'http',
  },
  QWEN_RELAY_INVALID_CONFIG: {
    status: 500,
    openAIType: 'server_error',
    openAICode: 'invalid_config',
    anthropicType: 'api_error',
    surface: 'cli',
  },
  QWEN_RELAY_LISTEN_FAILED: {
    status: 500,
    openAIType: 'server_error',
    openAICode: 'listen_failed',
    anthropicType: 'api_error',
    surface: 'cli',
  },
  QWEN_RELAY_DEVICE_FLOW_DENIED: {
    status: 500,
    openAIType: 'server_error',
    openAICode: 'device_flow_denied',
    anthropicType: 'api_error',
    surface: 'cli',
  },
  QWEN_RELAY_DEVICE_FLOW_EXPIRED: {
    status: 500,
    openAIType: 'server_error',
    openAICode: 'device_flow_expired',
    anthropicType: 'api_error',
    surface: 'cli',
  },
  QWEN_RELAY_DEVICE_FLOW_FAILED: {
    status: 500,
    openAIType: 'server_error',
    openAICode: 'device_flow_failed',
    anthropicType: 'api_error',
    surface: 'cli',
  },
  QWEN_RELAY_CLI_USAGE: {
    status: 500,
    openAIType: 'server_error',
    openAICode: 'cli_usage',
    anthropicType: 'api_error',
    surface: 'cli',
  },
  QWEN_RELAY_CLI_ACCOUNT_EXISTS: {
    status: 500,
    openAIType: 'server_error',
    openAICode: 'cli_account_exists',
    anthropicType: 'api_error',
    surface: 'cli',
  },
  QWEN_RELAY_CLI_ACCOUNT_NOT_FOUND: {
    status: 500,
    openAIType: 'server_error',
    openAICode: 'cli_account_not_found',
    anthropicType: 'api_error',
    surface: 'cli',
  },
  QWEN_RELAY_CLI_CONFIRMATION_REQUIRED: {
    status: 500,
    openAIType: 'server_error',
    openAICode: 'cli_confirmation_required',
    anthropicType: 'api_error',
    surface: 'cli',
  },
  QWEN_RELAY_CLI_CANCELLED: {
    status: 500,
    openAIType: 'server_error',
    openAICode: 'cli_cancelled',
    anthropicType: 'api_error',
    surface: 'cli',
  },
} as const satisfies Record<`QWEN_RELAY_${string}`, ErrorCodeMapping>;

/** Every error code of the project (a key of {@link ERROR_CODES}). */
export type QwenRelayErrorCode = keyof typeof ERROR_CODES;

/** True when `code` is one of the table's codes (errors from newer versions may carry others). */
export function isKnownErrorCode(code: string): code is QwenRelayErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
