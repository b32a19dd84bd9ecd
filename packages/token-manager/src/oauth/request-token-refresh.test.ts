import { type ScriptedResponse, startScriptedServer } from '@qwen-relay/fake-qwen/testing';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { requestTokenRefresh } from './request-token-refresh';

const REFRESH_TOKEN = 'qrt_unit_refresh_token_value_0123456789';

describe('requestTokenRefresh', () => {
  let server: Awaited<ReturnType<typeof startScriptedServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function refreshAgainst(answer: ScriptedResponse) {
    server = await startScriptedServer(() => answer);
    return requestTokenRefresh({ refreshToken: REFRESH_TOKEN, oauthBaseUrl: `${server.url}/` });
  }

  it('sends a form-encoded refresh grant with a truthful User-Agent and Accept json', async () => {
    const outcome = await refreshAgainst({
      status: 200,
      body: {
        access_token: 'qat_x',
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: 'qrt_y',
        resource_url: 'portal.qwen.ai',
      },
    });
    expect(outcome).toEqual({
      kind: 'success',
      response: {
        access_token: 'qat_x',
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: 'qrt_y',
        resource_url: 'portal.qwen.ai',
      },
    });
    const [request] = server?.requests ?? [];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/v1/oauth2/token');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(
      /^qwen-relay\/\d+\.\d+\.\d+ \(token-manager; node \d+\.\d+\.\d+; [a-z0-9]+\)$/,
    );
    expect(request?.form).toEqual({
      grant_type: 'refresh_token',
      refresh_token: REFRESH_TOKEN,
      client_id: 'f0304373b74a44d2b584a3fb70ca9e56',
    });
  });

  it.each<[string, ScriptedResponse]>([
    [
      '400 invalid_request',
      {
        status: 400,
        body: { error: 'invalid_request', error_description: 'Invalid refresh token or client_id' },
      },
    ],
    ['400 invalid_grant', { status: 400, body: { error: 'invalid_grant' } }],
    ['401 with a JSON error', { status: 401, body: { error: 'unauthorized' } }],
    ['invalid_grant with another status', { status: 403, body: { error: 'invalid_grant' } }],
  ])('classifies %s as a rejected refresh token', async (_name, answer) => {
    const outcome = await refreshAgainst(answer);
    expect(outcome.kind).toBe('rejected');
  });

  it.each<[string, ScriptedResponse, string]>([
    [
      'a 200 WAF HTML page',
      { status: 200, body: '<html><body>slider captcha</body></html>' },
      'non-json',
    ],
    ['a 200 empty body', { status: 200, body: '' }, 'non-json'],
    ['a 200 carrying {error}', { status: 200, body: { error: 'server_busy' } }, 'error-body'],
    [
      'a 200 JSON without access_token',
      { status: 200, body: { token_type: 'Bearer' } },
      'error-body',
    ],
    [
      'a 400 HTML page (WAF, not the token endpoint)',
      { status: 400, body: '<html>blocked</html>' },
      'non-json',
    ],
    ['a 503', { status: 503, body: { error: 'unavailable' } }, 'server-error'],
    ['a 500 HTML', { status: 500, body: '<html>oops</html>' }, 'server-error'],
    [
      'a 429',
      { status: 429, body: { error: 'rate' }, headers: { 'retry-after': '3' } },
      'http-error',
    ],
  ])('classifies %s as a transient, retryable failure', async (_name, answer, reason) => {
    const outcome = await refreshAgainst(answer);
    expect(outcome.kind).toBe('failed');
    if (outcome.kind === 'failed') {
      expect(outcome.error.code).toBe('QWEN_RELAY_TOKEN_REFRESH_FAILED');
      expect(outcome.error.retryable).toBe(true);
      expect(outcome.error.reason).toBe(reason);
      if (answer.status === 429) expect(outcome.error.retryAfterInMs).toBe(3_000);
    }
  });

  it('treats other 4xx JSON answers (misconfigured URL) as not retryable', async () => {
    const outcome = await refreshAgainst({ status: 404, body: { error: 'not_found' } });
    expect(outcome.kind === 'failed' && outcome.error.retryable).toBe(false);
  });

  it('reports a dropped connection as a retryable network failure', async () => {
    const outcome = await refreshAgainst({ status: 0, destroy: true });
    expect(outcome.kind === 'failed' && outcome.error.reason).toBe('network');
    expect(outcome.kind === 'failed' && outcome.error.retryable).toBe(true);
  });

  it('never echoes the refresh token from an upstream body into errors', async () => {
    const outcome = await refreshAgainst({
      status: 502,
      body: `<html>bad gateway for refresh_token=${REFRESH_TOKEN}</html>`,
    });
    expect(outcome.kind).toBe('failed');
    if (outcome.kind === 'failed') {
      expect(outcome.error.upstreamBody).toContain('bad gateway');
      expect(JSON.stringify({ ...outcome.error, message: outcome.error.message })).not.toContain(
        REFRESH_TOKEN,
      );
    }
  });

  it('goes through an injected undici dispatcher', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://chat.qwen.ai')
      .intercept({ path: '/api/v1/oauth2/token', method: 'POST' })
      .reply(200, { access_token: 'qat_mock', token_type: 'Bearer', expires_in: 60 });
    const outcome = await requestTokenRefresh({ refreshToken: REFRESH_TOKEN, dispatcher: agent });
    expect(outcome).toEqual({
      kind: 'success',
      response: { access_token: 'qat_mock', token_type: 'Bearer', expires_in: 60 },
    });
    await agent.close();
  });
});
