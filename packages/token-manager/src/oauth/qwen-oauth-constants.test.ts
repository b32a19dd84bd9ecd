import { describe, expect, it } from 'vitest';
import { getOAuthEndpointUrl, resolveQwenOAuthBaseUrl } from './qwen-oauth-constants';

describe('OAuth endpoints', () => {
  it('uses QWEN_OAUTH_BASE_URL or chat.qwen.ai', () => {
    expect(resolveQwenOAuthBaseUrl({})).toBe('https://chat.qwen.ai');
    expect(resolveQwenOAuthBaseUrl({ QWEN_OAUTH_BASE_URL: 'http://127.0.0.1:9000' })).toBe(
      'http://127.0.0.1:9000',
    );
  });

  it('joins the base URL and endpoint paths with or without a trailing slash', () => {
    expect(getOAuthEndpointUrl({ endpoint: 'token' })).toBe(
      'https://chat.qwen.ai/api/v1/oauth2/token',
    );
    expect(getOAuthEndpointUrl({ oauthBaseUrl: 'http://h:1/', endpoint: 'device-code' })).toBe(
      'http://h:1/api/v1/oauth2/device/code',
    );
  });
});
