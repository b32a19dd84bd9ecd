import { describe, expect, it } from 'vitest';
import { createProxyKeyCheck, readPresentedApiKey } from './create-proxy-key-check';

describe('createProxyKeyCheck', () => {
  const check = createProxyKeyCheck({ proxyApiKeys: ['key-one', 'key-two'] });

  it('accepts any configured key as Bearer or x-api-key', () => {
    expect(check({ authorization: 'Bearer key-one' })).toBe(true);
    expect(check({ authorization: 'bearer   key-two ' })).toBe(true);
    expect(check({ 'x-api-key': 'key-two' })).toBe(true);
  });

  it('rejects missing, wrong, prefixed and extended keys', () => {
    expect(check({})).toBe(false);
    expect(check({ authorization: 'Bearer key' })).toBe(false);
    expect(check({ authorization: 'Bearer key-one-more' })).toBe(false);
    expect(check({ authorization: 'Basic key-one' })).toBe(false);
    expect(check({ 'x-api-key': '' })).toBe(false);
  });

  it('accepts everything when no keys are configured', () => {
    expect(createProxyKeyCheck({ proxyApiKeys: [] })({})).toBe(true);
  });

  it('reads the presented key with Bearer taking precedence', () => {
    expect(readPresentedApiKey({ authorization: 'Bearer a', 'x-api-key': 'b' })).toBe('a');
    expect(readPresentedApiKey({ authorization: 'Token a', 'x-api-key': 'b' })).toBe('b');
  });
});
