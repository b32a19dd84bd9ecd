import { afterEach, describe, expect, it } from 'vitest';
import { excerptUpstreamBody } from './excerpt-upstream-body';
import { redactSecrets } from './redact-secrets';
import { redactSecretsInValue } from './redact-secrets-in-value';
import { registerSecret, replaceSecret, unregisterSecret } from './secret-registry';

// the union of what the four former redactors recognised, plus what none of them did
const REDACTED_CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['bearer value', 'Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [redacted]'],
  ['bearer JWT', 'Authorization: Bearer eyJhbGciOi.abc.def', 'Authorization: Bearer [redacted]'],
  [
    'bearer prefixed',
    'sent Authorization: Bearer qat_Gx3v9TqL0m.x',
    'sent Authorization: Bearer [redacted]',
  ],
  ['basic credentials', 'Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [redacted]'],
  [
    'bare JWT',
    'token was eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig rejected',
    'token was [redacted] rejected',
  ],
  ['short bare JWT', 'id eyJhbGci.eyJz.x end', 'id [redacted] end'],
  [
    'qat_ and qrt_',
    'key qat_9f8e7d6c5b4a and qrt_1a2b3c4d',
    'key qat_[redacted] and qrt_[redacted]',
  ],
  ['qat_ from the reference', 'token qat_Gx3v9TqL0mB7nW2y here', 'token qat_[redacted] here'],
  ['rotated qrt_', 'rt=qrt_new_A1b2C3d4E5f6G7h8I9j0', 'rt=qrt_[redacted]'],
  ['DashScope sk-', 'api key sk-proj-abc123def456', 'api key sk-[redacted]'],
  ['Coding Plan sk-sp-', 'key sk-sp-0123456789abcdef', 'key sk-[redacted]'],
  [
    'at_ token',
    'The access token at_9Fq2LmX81 is not allowed',
    'The access token at_[redacted] is not allowed',
  ],
  ['JSON access_token', '{"access_token":"abc123xyz"}', '{"access_token":"[redacted]"}'],
  [
    'JSON refresh_token with space',
    '{"refresh_token": "xyz","a":1}',
    '{"refresh_token": "[redacted]","a":1}',
  ],
  ['camelCase field', '{"accessToken":"opaque-1"}', '{"accessToken":"[redacted]"}'],
  [
    'form refresh_token',
    'grant_type=refresh_token&refresh_token=qrt_9&x=1',
    'grant_type=refresh_token&refresh_token=[redacted]&x=1',
  ],
  [
    'device flow query',
    'POST /token?device_code=dc-123&code_verifier=v3rifier',
    'POST /token?device_code=[redacted]&code_verifier=[redacted]',
  ],
  ['api_key field', 'api_key=opaque&model=m', 'api_key=[redacted]&model=m'],
  ['x-api-key header', 'x-api-key: k123456', 'x-api-key: [redacted]'],
  ['client_secret', 'client_secret=hunter2', 'client_secret=[redacted]'],
  [
    'long token-like run',
    'token Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo in text',
    'token [redacted] in text',
  ],
];

const KEPT_CASES: readonly string[] = [
  'Range of input length should be [1, 983616]',
  'Range of max_tokens should be [1, 65536]',
  'request chatcmpl-9c1d7e52-4b3a-9a10-8f2e-6d5c4b3a2910 failed',
  'see https://help.aliyun.com/zh/model-studio/error-code#token-limit',
  'model qwen3-coder-plus-2025-09-23 is not available',
  'invalid access token or token expired',
  'Invalid refresh token or client_id',
  '{"usage":{"prompt_tokens":3,"max_tokens":10},"token_type":"Bearer"}',
  'at_least one message is required',
  'the task-runner ran at 10:00',
];

afterEach(() => {
  for (const value of [
    'my-proxy-key-1',
    'opaque-access-value',
    'opaque-access-value-2',
    'nested-opaque',
  ]) {
    unregisterSecret(value);
    unregisterSecret(value);
  }
});

describe('redactSecrets', () => {
  it.each(REDACTED_CASES)('redacts %s', (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each(KEPT_CASES)('keeps ordinary text: %s', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('is idempotent', () => {
    for (const [, input] of REDACTED_CASES) {
      const once = redactSecrets(input);
      expect(redactSecrets(once)).toBe(once);
    }
  });

  it('removes registered values that match no pattern, until unregistered', () => {
    const text = 'upstream said: token opaque-access-value is not allowed';
    expect(redactSecrets(text)).toBe(text);
    registerSecret('opaque-access-value');
    expect(redactSecrets(text)).toBe('upstream said: token [redacted] is not allowed');
    unregisterSecret('opaque-access-value');
    expect(redactSecrets(text)).toBe(text);
  });

  it('keeps a bare uuid, but not one behind a token prefix, and removes registered values in it', () => {
    const id = '3f1c2b9e-8d4a-4c1f-9e2b-7a6d5c4b3a21';
    expect(redactSecrets(id)).toBe(id);
    expect(redactSecrets(`sk-${id}`)).toBe('sk-[redacted]');
    expect(redactSecrets(`sk-${id}`)).toBe('sk-[redacted]');
    registerSecret('8d4a-4c1f');
    expect(redactSecrets(id)).toBe('3f1c2b9e-[redacted]-9e2b-7a6d5c4b3a21');
    unregisterSecret('8d4a-4c1f');
    expect(redactSecrets(id)).toBe(id);
  });

  it('answers a repeated short text the same before and after a registration change', () => {
    const text = 'GET /v1/models 200 3ms api_key=opaque-k3y-value';
    const before = redactSecrets(text);
    expect(before).toBe('GET /v1/models 200 3ms api_key=[redacted]');
    expect(redactSecrets(text)).toBe(before);
    registerSecret('/v1/models');
    expect(redactSecrets(text)).toBe('GET [redacted] 200 3ms api_key=[redacted]');
    unregisterSecret('/v1/models');
    expect(redactSecrets(text)).toBe(before);
  });

  it('counts registrations: a value shared by two holders stays until both let go', () => {
    registerSecret('my-proxy-key-1');
    registerSecret('my-proxy-key-1');
    unregisterSecret('my-proxy-key-1');
    expect(redactSecrets('key my-proxy-key-1 used')).toBe('key [redacted] used');
    unregisterSecret('my-proxy-key-1');
    expect(redactSecrets('key my-proxy-key-1 used')).toBe('key my-proxy-key-1 used');
  });

  it('removes the longer of two overlapping secrets whole, and regex characters literally', () => {
    registerSecret('opaque-access-value');
    registerSecret('opaque-access-value-2');
    expect(redactSecrets('a opaque-access-value-2 b')).toBe('a [redacted] b');
    registerSecret('a.b+c(d)*e');
    expect(redactSecrets('x a.b+c(d)*e y aXb+c(d)*e')).toBe('x [redacted] y aXb+c(d)*e');
    unregisterSecret('a.b+c(d)*e');
  });

  it('replaces a refreshed secret and ignores values too short to be secrets', () => {
    replaceSecret({ previous: undefined, next: 'opaque-access-value' });
    replaceSecret({ previous: 'opaque-access-value', next: 'opaque-access-value-2' });
    expect(redactSecrets('opaque-access-value-2')).toBe('[redacted]');
    expect(redactSecrets('opaque-access-value')).toBe('opaque-access-value');
    registerSecret('id');
    expect(redactSecrets('client_id')).toBe('client_id');
    unregisterSecret('id');
  });
});

describe('excerptUpstreamBody', () => {
  it('redacts before cutting, so a token cut in half cannot leak', () => {
    registerSecret('opaque-access-value');
    const excerpt = excerptUpstreamBody({
      text: `${'x '.repeat(5)}opaque-access-value`,
      maxLengthInChars: 16,
    });
    expect(excerpt).not.toContain('opaque');
    expect(excerpt).toBe('x x x x x [redac…');
  });

  it('collapses whitespace and keeps short bodies whole', () => {
    expect(excerptUpstreamBody({ text: '<html>\n  <body>503</body>\n</html>' })).toBe(
      '<html> <body>503</body> </html>',
    );
  });
});

describe('redactSecretsInValue', () => {
  it('redacts values under secret keys at any depth', () => {
    expect(
      redactSecretsInValue({
        headers: { Authorization: 'Bearer abc.def', 'x-api-key': 'k123456', accept: 'json' },
        credentials: { access_token: 'qat_1', refresh_token: 'qrt_2', expiry_date: 5 },
        list: [{ accessToken: 'x' }],
        usage: { prompt_tokens: 3 },
      }),
    ).toEqual({
      headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'json' },
      credentials: { access_token: '[redacted]', refresh_token: '[redacted]', expiry_date: 5 },
      list: [{ accessToken: '[redacted]' }],
      usage: { prompt_tokens: 3 },
    });
  });

  it('scrubs strings and errors, registered values included', () => {
    registerSecret('nested-opaque');
    const error = Object.assign(new Error('failed with Bearer secret-token'), { code: 'E' });
    expect(redactSecretsInValue({ error, body: { text: 'echo nested-opaque' } })).toEqual({
      error: { name: 'Error', message: 'failed with Bearer [redacted]', code: 'E' },
      body: { text: 'echo [redacted]' },
    });
  });

  it('survives cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redactSecretsInValue(cyclic)).toEqual({ a: 1, self: '[…]' });
    const inner: Record<string, unknown> = { b: 2 };
    const outer = { inner, list: [inner] };
    inner.back = outer;
    inner.again = inner;
    expect(redactSecretsInValue(outer)).toEqual({
      inner: { b: 2, back: '[…]', again: '[…]' },
      list: ['[…]'],
    });
    expect(redactSecretsInValue([cyclic])).toEqual([{ a: 1, self: '[…]' }]);
  });

  it('copies flat fields, own keys only, and judges a key the same on every call', () => {
    const fields = Object.create({ inherited: 'x' }) as Record<string, unknown>;
    fields.requestId = 'req-1';
    fields.token = 'abc';
    fields.count = 3;
    fields.missing = undefined;
    for (let round = 0; round < 3; round++) {
      expect(redactSecretsInValue(fields)).toStrictEqual({
        requestId: 'req-1',
        token: '[redacted]',
        count: 3,
        missing: undefined,
      });
    }
    expect(redactSecretsInValue({ token: null, password: undefined })).toStrictEqual({
      token: null,
      password: undefined,
    });
  });

  it('stops at the depth limit', () => {
    let deep: Record<string, unknown> = { leaf: 'end' };
    for (let level = 0; level < 12; level++) deep = { next: deep };
    let copy = redactSecretsInValue(deep) as Record<string, unknown>;
    let depth = 0;
    while (typeof copy.next === 'object') {
      copy = copy.next as Record<string, unknown>;
      depth++;
    }
    expect(copy.next).toBe('[…]');
    expect(depth).toBe(8);
  });
});
