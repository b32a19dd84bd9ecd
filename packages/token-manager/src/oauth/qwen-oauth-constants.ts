/** qwen-code's public OAuth client id. */
export const QWEN_OAUTH_CLIENT_ID = 'f0304373b74a44d2b584a3fb70ca9e56';
/** Scope requested by the device flow. */
export const QWEN_OAUTH_SCOPE = 'openid profile email model.completion';
/** Default OAuth host (`QWEN_OAUTH_BASE_URL`). */
export const DEFAULT_QWEN_OAUTH_BASE_URL = 'https://chat.qwen.ai';
/** RFC 8628 device grant type. */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/** Joins the OAuth base URL (with or without a trailing slash) and an endpoint path. */
export function getOAuthEndpointUrl({
  oauthBaseUrl = DEFAULT_QWEN_OAUTH_BASE_URL,
  endpoint,
}: {
  oauthBaseUrl?: string;
  endpoint: 'device-code' | 'token';
}): string {
  const path = endpoint === 'token' ? 'api/v1/oauth2/token' : 'api/v1/oauth2/device/code';
  return `${oauthBaseUrl.replace(/\/+$/, '')}/${path}`;
}

/** The OAuth host: `QWEN_OAUTH_BASE_URL`, else https://chat.qwen.ai. */
export function resolveQwenOAuthBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.QWEN_OAUTH_BASE_URL?.trim() || DEFAULT_QWEN_OAUTH_BASE_URL;
}
