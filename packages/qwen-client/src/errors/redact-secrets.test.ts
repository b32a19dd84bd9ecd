import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  it.each([
    ['Authorization: Bearer eyJhbGciOi.abc.def', 'Authorization: Bearer [redacted]'],
    ['token qat_Gx3v9TqL0mB7nW2y here', 'token qat_[redacted] here'],
    ['rt=qrt_Hm4w8UrM1nC6oX3z', 'rt=qrt_[redacted]'],
    ['key sk-sp-0123456789abcdef', 'key sk-[redacted]'],
    ['{"access_token":"opaque-value-1","x":1}', '{"access_token":"[redacted]","x":1}'],
    ['refresh_token=opaque2&client_id=c', 'refresh_token=[redacted]&client_id=c'],
  ])('redacts %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('Range of max_tokens should be [1, 65536]')).toBe(
      'Range of max_tokens should be [1, 65536]',
    );
  });
});
