import { describe, expect, it } from 'vitest';
import { DEFAULT_QWEN_BASE_URL, resolveBaseUrl } from './resolve-base-url';

describe('resolveBaseUrl', () => {
  it.each([
    ['portal.qwen.ai', 'https://portal.qwen.ai/v1'],
    ['portal.qwen.ai/', 'https://portal.qwen.ai/v1'],
    ['http://127.0.0.1:9000', 'http://127.0.0.1:9000/v1'],
    ['http://127.0.0.1:9000/', 'http://127.0.0.1:9000/v1'],
    ['https://x.example/v1', 'https://x.example/v1'],
    ['https://x.example/v1/', 'https://x.example/v1'],
    ['HTTPS://Portal.qwen.ai', 'HTTPS://Portal.qwen.ai/v1'],
    ['https://dashscope.aliyuncs.com/compatible-mode/v1', DEFAULT_QWEN_BASE_URL],
    ['  portal.qwen.ai  ', 'https://portal.qwen.ai/v1'],
  ])('derives %s → %s', (resourceUrl, expected) => {
    expect(resolveBaseUrl({ resourceUrl })).toBe(expected);
  });

  it('falls back to DashScope compatible-mode without resource_url', () => {
    expect(resolveBaseUrl({})).toBe(DEFAULT_QWEN_BASE_URL);
    expect(resolveBaseUrl({ resourceUrl: '' })).toBe(DEFAULT_QWEN_BASE_URL);
  });

  it('lets the override win over resource_url', () => {
    expect(
      resolveBaseUrl({ resourceUrl: 'portal.qwen.ai', baseUrlOverride: 'http://127.0.0.1:1/' }),
    ).toBe('http://127.0.0.1:1/v1');
  });
});
