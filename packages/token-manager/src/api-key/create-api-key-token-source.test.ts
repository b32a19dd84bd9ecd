import { describe, expect, it } from 'vitest';
import { createApiKeyTokenSource } from './create-api-key-token-source';

describe('createApiKeyTokenSource', () => {
  it('serves the key, never refreshes, and returns the same token on invalidate', async () => {
    const source = createApiKeyTokenSource({
      apiKey: ' sk-static-key ',
      baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
    });
    await source.start();
    const token = await source.getAccessToken();
    expect(token).toEqual({
      accessToken: 'sk-static-key',
      authType: 'api-key',
      resourceUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
    });
    expect(await source.invalidate(token, 'unauthorized')).toBe(token);
    // always ready: the request path takes it without a promise
    expect(source.peekAccessToken()).toBe(token);
    expect(source.accountId).toBe('api-key');
    expect(source.getStatus()).toEqual({
      accountId: 'api-key',
      authType: 'api-key',
      state: 'ok',
      resourceUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
    });
    expect(JSON.stringify(source.getStatus())).not.toContain('sk-static-key');
    await source.close();
  });

  it('rejects an empty key', () => {
    expect(() => createApiKeyTokenSource({ apiKey: '  ' })).toThrow(/empty/);
  });
});
