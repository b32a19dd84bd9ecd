/** OAuth client id of qwen-code (docs/qwen-upstream.md §1.1); the fake accepts only this one. */
export const QWEN_OAUTH_CLIENT_ID = 'f0304373b74a44d2b584a3fb70ca9e56';

/** OAuth scope qwen-code requests (docs/qwen-upstream.md §1.1). */
export const QWEN_OAUTH_SCOPE = 'openid profile email model.completion';

/** RFC 8628 device grant type. */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/** Refresh grant type. */
export const REFRESH_TOKEN_GRANT_TYPE = 'refresh_token';

/** Server-side model aliases and the resolved names the fake echoes (docs/qwen-upstream.md §2.4). */
export const DEFAULT_MODEL_ALIASES: Readonly<Record<string, string>> = {
  'coder-model': 'qwen3.6-plus',
  'vision-model': 'qwen3-vl-plus',
};

/** Routes served by the fake. */
export const FAKE_QWEN_PATHS = {
  deviceCode: '/api/v1/oauth2/device/code',
  token: '/api/v1/oauth2/token',
  chat: '/v1/chat/completions',
  embeddings: '/v1/embeddings',
  /** under a plan host's Anthropic base (`/plans/<host>/apps/anthropic`) */
  anthropicMessages: '/apps/anthropic/v1/messages',
  /** the native Responses API, on standard plan hosts only */
  responses: '/v1/responses',
} as const;
