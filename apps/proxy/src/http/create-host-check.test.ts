import { describe, expect, it } from 'vitest';
import { createHostCheck } from './create-host-check';

describe('createHostCheck', () => {
  it('accepts loopback names with or without a port, in any case', () => {
    const isAllowed = createHostCheck({ host: '127.0.0.1', allowedHosts: [] });
    for (const host of [
      'localhost',
      'localhost:8080',
      'LocalHost.:8080',
      'app.localhost:3000',
      '127.0.0.1',
      '127.0.0.1:8080',
      '127.1.2.3:80',
      '[::1]',
      '[::1]:8080',
      '[::ffff:127.0.0.1]:8080',
    ]) {
      expect(isAllowed(host), host).toBe(true);
    }
  });

  it('refuses any other name: the shape of a DNS-rebinding request', () => {
    const isAllowed = createHostCheck({ host: '127.0.0.1', allowedHosts: [] });
    for (const host of [
      'attacker.example',
      'attacker.example:8080',
      '127.0.0.1.nip.io',
      'localhost.attacker.example',
      '192.168.1.10:8080',
      '[fd00::1]:8080',
      '',
    ]) {
      expect(isAllowed(host), host).toBe(false);
    }
  });

  it('accepts ALLOWED_HOSTS names exactly, whatever the port', () => {
    const isAllowed = createHostCheck({
      host: '127.0.0.1',
      allowedHosts: ['relay.example.com', '[fd00::1]'],
    });
    expect(isAllowed('relay.example.com')).toBe(true);
    expect(isAllowed('Relay.Example.Com:443')).toBe(true);
    expect(isAllowed('[fd00::1]:8080')).toBe(true);
    expect(isAllowed('evil.relay.example.com')).toBe(false);
    expect(isAllowed('relay.example.com.attacker.example')).toBe(false);
  });

  it('accepts the listen address itself when it is a specific non-loopback one', () => {
    expect(createHostCheck({ host: '192.168.1.10', allowedHosts: [] })('192.168.1.10:8080')).toBe(
      true,
    );
    // 0.0.0.0 listens everywhere: the names clients use must be listed in ALLOWED_HOSTS
    const wildcard = createHostCheck({ host: '0.0.0.0', allowedHosts: [] });
    expect(wildcard('0.0.0.0:8080')).toBe(false);
    expect(wildcard('192.168.1.10:8080')).toBe(false);
    expect(wildcard('localhost:8080')).toBe(true);
  });

  it('accepts any Host with *, and a request without Host (no browser sends one)', () => {
    expect(createHostCheck({ host: '0.0.0.0', allowedHosts: ['*'] })('anything.example')).toBe(
      true,
    );
    expect(createHostCheck({ host: '127.0.0.1', allowedHosts: [] })(undefined)).toBe(true);
  });
});
