import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  it.each([
    ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [REDACTED]'],
    ['key qat_9f8e7d6c5b4a and qrt_1a2b3c4d', 'key qat_[REDACTED] and qrt_[REDACTED]'],
    ['api key sk-proj-abc123def456', 'api key sk-[REDACTED]'],
    ['{"access_token":"abc123xyz"}', '{"access_token":"[REDACTED]"}'],
    ['refresh_token=zzz999&x=1', 'refresh_token=[REDACTED]&x=1'],
    ['token Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo in text', 'token [REDACTED] in text'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    'Range of input length should be [1, 983616]',
    'request chatcmpl-9c1d7e52-4b3a-9a10-8f2e-6d5c4b3a2910 failed',
    'see https://help.aliyun.com/zh/model-studio/error-code#token-limit',
    'model qwen3-coder-plus-2025-09-23 is not available',
    'invalid access token or token expired',
  ])('keeps ordinary text: %s', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});
