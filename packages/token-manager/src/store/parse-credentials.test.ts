import { describe, expect, it } from 'vitest';
import { safeParseCredentials } from './parse-credentials';

const valid = {
  access_token: 'qat_secret_access_value_123',
  token_type: 'Bearer',
  refresh_token: 'qrt_secret_refresh_value_456',
  resource_url: 'portal.qwen.ai',
  expiry_date: 1_776_000_000_000,
  _proxy_metadata: { keep: true },
};

describe('safeParseCredentials', () => {
  it('accepts a qwen-code file and keeps unknown fields', () => {
    const result = safeParseCredentials(JSON.stringify(valid));
    expect(result).toEqual({ success: true, credentials: valid });
  });

  it('treats a missing or non-numeric expiry_date as NaN (expired), not as corrupt', () => {
    for (const expiry of [undefined, '1776000000000', null, 'soon']) {
      const result = safeParseCredentials(JSON.stringify({ ...valid, expiry_date: expiry }));
      expect(result.success).toBe(true);
      if (result.success) expect(result.credentials.expiry_date).toBeNaN();
    }
  });

  it('defaults a missing token_type to Bearer', () => {
    const { token_type: _omitted, ...withoutType } = valid;
    const result = safeParseCredentials(JSON.stringify(withoutType));
    expect(result.success && result.credentials.token_type).toBe('Bearer');
  });

  it.each([
    ['', 'empty'],
    ['   \n', 'empty'],
    ['{"access_token":"qat_secret_access_value_123","refresh', 'not valid JSON'],
    ['[1,2]', 'not an object'],
    ['"qat_secret_access_value_123"', 'not an object'],
    [JSON.stringify({ ...valid, refresh_token: '' }), '"refresh_token" is missing'],
    [JSON.stringify({ ...valid, access_token: 42 }), '"access_token" is missing'],
    [JSON.stringify({ ...valid, resource_url: 7 }), '"resource_url" is not a string'],
  ])('reports %j as corrupt (%s) without quoting the content', (text, problem) => {
    const result = safeParseCredentials(text);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.problem).toContain(problem);
      expect(result.problem).not.toContain('qat_secret');
      expect(result.problem).not.toContain('qrt_secret');
    }
  });
});
