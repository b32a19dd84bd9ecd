import { describe, expect, it } from 'vitest';
import { excerptUpstreamBody, redactSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  it('removes known secrets, secret fields, bearer values and long token-like runs', () => {
    const text = [
      'known=my-short-but-known-secret',
      '{"access_token":"abc.def","refresh_token": "xyz"}',
      'Authorization: Bearer qat_0123456789',
      'opaque qrt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA end',
    ].join('\n');
    const redacted = redactSecrets({ text, secrets: ['my-short-but-known-secret'] });
    for (const leaked of [
      'my-short-but-known-secret',
      'abc.def',
      'xyz',
      'qat_0123456789',
      'qrt_AAAA',
    ]) {
      expect(redacted).not.toContain(leaked);
    }
    expect(redacted).toContain('opaque');
    expect(redacted).toContain('end');
  });

  it('keeps ordinary words and short values', () => {
    expect(redactSecrets({ text: 'Invalid refresh token or client_id', secrets: ['id'] })).toBe(
      'Invalid refresh token or client_id',
    );
  });
});

describe('excerptUpstreamBody', () => {
  it('redacts before truncating so a cut token cannot leak', () => {
    const secret = 'S'.repeat(40);
    const excerpt = excerptUpstreamBody({ text: `${'x '.repeat(5)}${secret}`, maxLength: 20 });
    expect(excerpt).not.toContain('SSSSSSSS');
    expect(excerpt.length).toBeLessThanOrEqual(21);
  });
});
