import { describe, expect, it } from 'vitest';
import { redactSecrets, redactSecretsInText } from './redact-secrets';

describe('redactSecrets', () => {
  it('redacts values under secret keys at any depth', () => {
    const redacted = redactSecrets({
      value: {
        headers: { Authorization: 'Bearer abc.def', 'x-api-key': 'k123456', accept: 'json' },
        credentials: { access_token: 'qat_1', refresh_token: 'qrt_2', expiry_date: 5 },
        list: [{ accessToken: 'x' }],
        usage: { prompt_tokens: 3 },
      },
    });
    expect(redacted).toEqual({
      headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'json' },
      credentials: { access_token: '[redacted]', refresh_token: '[redacted]', expiry_date: 5 },
      list: [{ accessToken: '[redacted]' }],
      usage: { prompt_tokens: 3 },
    });
  });

  it('scrubs inline tokens and known secrets from strings and errors', () => {
    expect(redactSecretsInText({ text: 'sent Authorization: Bearer qat_Gx3v9TqL0m.x' })).toBe(
      'sent Authorization: Bearer [redacted]',
    );
    expect(redactSecretsInText({ text: 'body {"refresh_token":"qrt_123","a":1}' })).toBe(
      'body {"refresh_token":"[redacted]","a":1}',
    );
    expect(redactSecretsInText({ text: 'grant_type=refresh_token&refresh_token=qrt_9&x=1' })).toBe(
      'grant_type=refresh_token&refresh_token=[redacted]&x=1',
    );
    expect(
      redactSecretsInText({ text: 'key my-proxy-key-1 used', secrets: ['my-proxy-key-1'] }),
    ).toBe('key [redacted] used');
    const error = Object.assign(new Error('failed with Bearer secret-token'), { code: 'E' });
    expect(redactSecrets({ value: { error } })).toEqual({
      error: { name: 'Error', message: 'failed with Bearer [redacted]', code: 'E' },
    });
  });

  it('survives cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redactSecrets({ value: cyclic })).toEqual({ a: 1, self: '[…]' });
  });
});
