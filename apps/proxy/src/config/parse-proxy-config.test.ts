import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProxyConfig } from './parse-proxy-config';
import { ProxyConfigError } from './proxy-config-error';

function captureConfigError(run: () => unknown): ProxyConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProxyConfigError) return error;
    throw error;
  }
  throw new Error('expected a ProxyConfigError');
}

describe('parseProxyConfig', () => {
  it('applies the docs/design.md §6 defaults', () => {
    const config = parseProxyConfig({ env: {}, argv: [] });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      qwenDir: join(homedir(), '.qwen'),
      oauthBaseUrl: 'https://chat.qwen.ai',
      proxyApiKeys: [],
      logLevel: 'info',
      logFormat: 'pretty',
      bodyLimitInBytes: 32 * 1024 * 1024,
      corsOrigins: [],
      streamFallback: true,
      quotaCooldownInMs: 60_000,
      upstreamConnections: 1_024,
    });
    expect(config.timeouts.headersInMs).toBe(300_000);
    expect(config.apiKey).toBeUndefined();
    expect(config.apiBaseUrl).toBeUndefined();
  });

  it('reads environment variables', () => {
    const config = parseProxyConfig({
      env: {
        PORT: '9001',
        QWEN_DIR: '/tmp/q',
        QWEN_API_KEY: 'sk-abc',
        QWEN_API_BASE_URL: 'http://127.0.0.1:9000/v1/',
        PROXY_API_KEYS: ' a1 , b2 ,,',
        LOG_LEVEL: 'DEBUG',
        LOG_FORMAT: 'json',
        SSE_WORKERS: '2',
        CORS_ORIGINS: 'https://a.example, http://localhost:3000',
        STREAM_FALLBACK: 'false',
        HEADERS_TIMEOUT_MS: '1000',
        QUOTA_COOLDOWN_MS: '5000',
        UPSTREAM_CONNECTIONS: '300',
      },
    });
    expect(config).toMatchObject({
      port: 9001,
      quotaCooldownInMs: 5_000,
      upstreamConnections: 300,
      qwenDir: '/tmp/q',
      apiKey: 'sk-abc',
      apiBaseUrl: 'http://127.0.0.1:9000/v1',
      proxyApiKeys: ['a1', 'b2'],
      logLevel: 'debug',
      logFormat: 'json',
      sseWorkers: 2,
      corsOrigins: ['https://a.example', 'http://localhost:3000'],
      streamFallback: false,
    });
    expect(config.timeouts.headersInMs).toBe(1000);
  });

  it('reads ALLOWED_HOSTS as lower-case names and refuses URLs or ports in it', () => {
    expect(parseProxyConfig({ env: {} }).allowedHosts).toEqual([]);
    expect(
      parseProxyConfig({ env: { ALLOWED_HOSTS: 'Relay.Example.com, [fd00::1],10.0.0.5' } })
        .allowedHosts,
    ).toEqual(['relay.example.com', '[fd00::1]', '10.0.0.5']);
    expect(parseProxyConfig({ argv: ['--allowed-hosts', '*'] }).allowedHosts).toEqual(['*']);
    for (const value of ['https://relay.example.com', 'relay.example.com:443', 'a/b']) {
      expect(
        captureConfigError(() => parseProxyConfig({ env: { ALLOWED_HOSTS: value } })).setting,
      ).toBe('ALLOWED_HOSTS');
    }
  });

  it('lets flags win over the environment, in both flag spellings', () => {
    const config = parseProxyConfig({
      env: { PORT: '1', LOG_FORMAT: 'json', STREAM_FALLBACK: 'true' },
      argv: ['--port', '2', '--log-format=pretty', '--no-stream-fallback', '--qwen-dir', '~/x'],
    });
    expect(config.port).toBe(2);
    expect(config.logFormat).toBe('pretty');
    expect(config.streamFallback).toBe(false);
    expect(config.qwenDir).toBe(join(homedir(), 'x'));
    expect(
      parseProxyConfig({ env: { UPSTREAM_CONNECTIONS: '8' }, argv: ['--upstream-connections=64'] })
        .upstreamConnections,
    ).toBe(64);
  });

  it('treats empty variables as unset', () => {
    expect(parseProxyConfig({ env: { PORT: '', HOST: '  ' } }).port).toBe(8080);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT'],
    [{ QWEN_OAUTH_BASE_URL: 'chat.qwen.ai' }, 'QWEN_OAUTH_BASE_URL'],
    [{ QWEN_API_BASE_URL: 'ftp://x' }, 'QWEN_API_BASE_URL'],
    [{ BODY_LIMIT_BYTES: '0' }, 'BODY_LIMIT_BYTES'],
    [{ SSE_WORKERS: '-1' }, 'SSE_WORKERS'],
    [{ SSE_WORKERS: 'many' }, 'SSE_WORKERS'],
    [{ SSE_WORKERS: '65' }, 'SSE_WORKERS'],
    [{ STREAM_FALLBACK: 'maybe' }, 'STREAM_FALLBACK'],
    [{ CORS_ORIGINS: 'https://a.example/path' }, 'CORS_ORIGINS'],
    [{ HEADERS_TIMEOUT_MS: '1.5' }, 'HEADERS_TIMEOUT_MS'],
    [{ MODEL_ALIASES: 'fast' }, 'MODEL_ALIASES'],
    [{ UPSTREAM_CONNECTIONS: '0' }, 'UPSTREAM_CONNECTIONS'],
    [{ PORTAL_QUIRKS: 'sometimes' }, 'PORTAL_QUIRKS'],
  ])('stops on %o naming %s', (env, setting) => {
    const error = captureConfigError(() => parseProxyConfig({ env }));
    expect(error.setting).toBe(setting);
    expect(error.message).toContain(setting);
  });

  it('reads SSE_WORKERS as a thread count or auto', () => {
    expect(parseProxyConfig({ env: {} }).sseWorkers).toBe(0);
    expect(parseProxyConfig({ env: { SSE_WORKERS: 'auto' } }).sseWorkers).toBe('auto');
    expect(parseProxyConfig({ env: { SSE_WORKERS: 'AUTO' } }).sseWorkers).toBe('auto');
    expect(parseProxyConfig({ argv: ['--sse-workers', '3'] }).sseWorkers).toBe(3);
    const error = captureConfigError(() => parseProxyConfig({ env: { SSE_WORKERS: 'many' } }));
    expect(error.message).toContain('or auto');
  });

  it('reads MODEL_ALIASES pairs, `none`, and PORTAL_QUIRKS', () => {
    expect(parseProxyConfig({ env: {} }).modelAliases).toBeUndefined();
    expect(parseProxyConfig({ env: {} }).portalQuirks).toBe(false);
    const config = parseProxyConfig({
      env: { MODEL_ALIASES: 'fast = qwen3-coder-flash,big=qwen3-max', PORTAL_QUIRKS: 'on' },
    });
    expect(config.modelAliases).toEqual({ fast: 'qwen3-coder-flash', big: 'qwen3-max' });
    expect(config.portalQuirks).toBe(true);
    expect(parseProxyConfig({ argv: ['--model-aliases', 'none'] }).modelAliases).toEqual({});
  });

  it('turns tracing on only with an OTLP endpoint, the traces URL winning, unless the SDK is disabled', () => {
    expect(parseProxyConfig({ env: {} }).tracing).toBeUndefined();
    expect(
      parseProxyConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' } }).tracing,
    ).toEqual({ tracesUrl: 'http://collector:4318/v1/traces', serviceName: 'qwen-relay' });
    expect(
      parseProxyConfig({
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces.example/otlp/v1/traces',
          OTEL_SERVICE_NAME: 'relay-eu',
        },
      }).tracing,
    ).toEqual({ tracesUrl: 'http://traces.example/otlp/v1/traces', serviceName: 'relay-eu' });
    expect(
      parseProxyConfig({
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' },
      }).tracing,
    ).toBeUndefined();
    expect(
      captureConfigError(() =>
        parseProxyConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' } }),
      ).setting,
    ).toBe('OTEL_EXPORTER_OTLP_ENDPOINT');
  });

  it('names the flag when the bad value came from a flag', () => {
    const error = captureConfigError(() => parseProxyConfig({ argv: ['--port=x'] }));
    expect(error.message).toContain('--port');
  });

  it('rejects unknown flags, stray arguments and flags without a value', () => {
    expect(captureConfigError(() => parseProxyConfig({ argv: ['--prot', '1'] })).message).toContain(
      '--prot',
    );
    expect(captureConfigError(() => parseProxyConfig({ argv: ['serve'] })).message).toContain(
      'serve',
    );
    expect(captureConfigError(() => parseProxyConfig({ argv: ['--port'] })).setting).toBe('PORT');
  });

  it('refuses a non-loopback HOST without proxy keys unless explicitly allowed', () => {
    expect(captureConfigError(() => parseProxyConfig({ env: { HOST: '0.0.0.0' } })).setting).toBe(
      'HOST',
    );
    expect(parseProxyConfig({ env: { HOST: '0.0.0.0', PROXY_API_KEYS: 'k' } }).host).toBe(
      '0.0.0.0',
    );
    expect(
      parseProxyConfig({ env: { HOST: '0.0.0.0' }, argv: ['--allow-insecure-bind'] }).host,
    ).toBe('0.0.0.0');
    expect(
      parseProxyConfig({ env: { HOST: '::', ALLOW_NON_LOOPBACK_WITHOUT_KEYS: 'true' } })
        .allowNonLoopbackWithoutKeys,
    ).toBe(true);
    expect(parseProxyConfig({ env: { HOST: 'localhost' } }).host).toBe('localhost');
    expect(parseProxyConfig({ env: { HOST: '::1' } }).host).toBe('::1');
  });
});
