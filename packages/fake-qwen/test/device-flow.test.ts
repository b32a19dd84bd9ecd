import { afterEach, describe, expect, it } from 'vitest';
import { QWEN_OAUTH_CLIENT_ID, QWEN_OAUTH_SCOPE } from '../src/constants';
import { createPkcePair } from '../src/oauth/pkce';
import { startFakeQwen } from '../src/server/start-fake-qwen';
import type { FakeQwen, FakeQwenOptions } from '../src/types';
import { chatBody, pollDeviceToken, postChat, postForm, requestDeviceCode } from './helpers';

let fake: FakeQwen | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeQwenOptions = {}): Promise<FakeQwen> {
  fake = await startFakeQwen(options);
  return fake;
}

describe('device authorization (RFC 8628 + PKCE S256)', () => {
  it('issues a device code with the reference fields', async () => {
    const server = await start();
    const { codeChallenge } = createPkcePair();
    const { status, body } = await requestDeviceCode(server, codeChallenge);
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual([
      'device_code',
      'user_code',
      'verification_uri',
      'verification_uri_complete',
      'expires_in',
    ]);
    expect(body.user_code).toMatch(/^[A-Z0-9]{8}$/);
    expect(body.verification_uri_complete).toBe(
      `${server.url}/authorize?user_code=${body.user_code}&client=qwen-code`,
    );
    expect(body.expires_in).toBe(1800);
    expect(server.userCodes).toEqual([body.user_code]);
    expect(server.counters.deviceCodeCalls).toBe(1);
  });

  it.each([
    ['wrong client_id', { client_id: 'nope' }, 'invalid_client'],
    ['missing scope', { scope: '' }, 'invalid_scope'],
    ['unknown scope', { scope: `${QWEN_OAUTH_SCOPE} admin` }, 'invalid_scope'],
    ['plain method', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['short challenge', { code_challenge: 'abc' }, 'invalid_request'],
    ['missing challenge', { code_challenge: '' }, 'invalid_request'],
  ])('rejects a device request with %s', async (_name, override, error) => {
    const server = await start();
    const fields = {
      client_id: QWEN_OAUTH_CLIENT_ID,
      scope: QWEN_OAUTH_SCOPE,
      code_challenge: createPkcePair().codeChallenge,
      code_challenge_method: 'S256',
      ...override,
    };
    const result = await postForm(`${server.url}/api/v1/oauth2/device/code`, fields);
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ error });
  });

  it('rejects a JSON device request (form encoding is required)', async () => {
    const server = await start();
    const response = await fetch(`${server.url}/api/v1/oauth2/device/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: QWEN_OAUTH_CLIENT_ID }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('walks pending → approved → tokens that work for chat, then the code is spent', async () => {
    const server = await start();
    const { codeVerifier, codeChallenge } = createPkcePair();
    const { body } = await requestDeviceCode(server, codeChallenge);
    const pending = await pollDeviceToken(server, body.device_code, codeVerifier);
    expect(pending.status).toBe(400);
    expect(pending.body).toEqual({
      error: 'authorization_pending',
      error_description: 'The user has not approved the request yet',
    });
    server.approve(body.user_code);
    const approved = await pollDeviceToken(server, body.device_code, codeVerifier);
    expect(approved.status).toBe(200);
    const tokens = approved.body as Record<string, unknown>;
    expect(Object.keys(tokens)).toEqual([
      'access_token',
      'refresh_token',
      'token_type',
      'expires_in',
      'scope',
      'resource_url',
    ]);
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      resource_url: server.url,
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const chat = await postChat(server, { token: tokens.access_token as string, body: chatBody() });
    expect(chat.status).toBe(200);
    const again = await pollDeviceToken(server, body.device_code, codeVerifier);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'invalid_grant' });
    expect(server.counters.devicePollCalls).toBe(3);
  });

  it('answers access_denied after deny()', async () => {
    const server = await start();
    const { codeVerifier, codeChallenge } = createPkcePair();
    const { body } = await requestDeviceCode(server, codeChallenge);
    server.deny(body.user_code);
    const result = await pollDeviceToken(server, body.device_code, codeVerifier);
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ error: 'access_denied' });
  });

  it('answers expired_token after expireDeviceCode() and after the TTL on the injected clock', async () => {
    let nowInMs = 1_000_000;
    const server = await start({ now: () => nowInMs, deviceCodeTtlInSeconds: 60 });
    const pair = createPkcePair();
    const first = await requestDeviceCode(server, pair.codeChallenge);
    server.expireDeviceCode(first.body.user_code);
    const forced = await pollDeviceToken(server, first.body.device_code, pair.codeVerifier);
    expect(forced.status).toBe(400);
    expect(forced.body).toMatchObject({ error: 'expired_token' });

    const second = await requestDeviceCode(server, pair.codeChallenge);
    expect(second.body.expires_in).toBe(60);
    nowInMs += 59_999;
    expect(
      (await pollDeviceToken(server, second.body.device_code, pair.codeVerifier)).body,
    ).toMatchObject({
      error: 'authorization_pending',
    });
    nowInMs += 1;
    expect(
      (await pollDeviceToken(server, second.body.device_code, pair.codeVerifier)).body,
    ).toMatchObject({
      error: 'expired_token',
    });
  });

  it.each([429, 400] as const)(
    'answers slow_down with status %i when polled too fast',
    async (slowDownStatus) => {
      let nowInMs = 5_000_000;
      const server = await start({
        now: () => nowInMs,
        devicePollMinIntervalInMs: 2_000,
        slowDownStatus,
      });
      const { codeVerifier, codeChallenge } = createPkcePair();
      const { body } = await requestDeviceCode(server, codeChallenge);
      expect((await pollDeviceToken(server, body.device_code, codeVerifier)).status).toBe(400);
      nowInMs += 1_999;
      const tooFast = await pollDeviceToken(server, body.device_code, codeVerifier);
      expect(tooFast.status).toBe(slowDownStatus);
      expect(tooFast.body).toEqual({
        error: 'slow_down',
        error_description: 'Polling too frequently',
      });
      nowInMs += 2_000;
      const patient = await pollDeviceToken(server, body.device_code, codeVerifier);
      expect(patient.body).toMatchObject({ error: 'authorization_pending' });
    },
  );

  it('rejects a wrong PKCE verifier with invalid_grant, even once approved', async () => {
    const server = await start();
    const { codeChallenge } = createPkcePair();
    const { body } = await requestDeviceCode(server, codeChallenge);
    server.approve(body.user_code);
    const wrong = await pollDeviceToken(server, body.device_code, createPkcePair().codeVerifier);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_grant' });
    const missing = await pollDeviceToken(server, body.device_code, '');
    expect(missing.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('rejects an unknown device code and an unknown grant type', async () => {
    const server = await start();
    const unknown = await pollDeviceToken(server, 'dc_nope', createPkcePair().codeVerifier);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: 'invalid_grant' });
    const grant = await postForm(`${server.url}/api/v1/oauth2/token`, { grant_type: 'password' });
    expect(grant.status).toBe(400);
    expect(grant.body).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('approves at once with autoApprove, and through the admin hooks', async () => {
    const server = await start({ autoApprove: true });
    const pair = createPkcePair();
    const auto = await requestDeviceCode(server, pair.codeChallenge);
    expect((await pollDeviceToken(server, auto.body.device_code, pair.codeVerifier)).status).toBe(
      200,
    );

    server.configure({ autoApprove: false });
    const manual = await requestDeviceCode(server, pair.codeChallenge);
    const hook = await fetch(`${server.url}/_admin/approve/${manual.body.user_code}`, {
      method: 'POST',
    });
    expect(hook.status).toBe(200);
    expect((await pollDeviceToken(server, manual.body.device_code, pair.codeVerifier)).status).toBe(
      200,
    );
    const missing = await fetch(`${server.url}/_admin/deny/ZZZZZZZZ`, { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(() => server.approve('NOTACODE')).toThrow(/unknown user code/);
  });

  it('includes `interval` only when configured', async () => {
    const server = await start({ devicePollIntervalInSeconds: 5 });
    const { body } = await requestDeviceCode(server, createPkcePair().codeChallenge);
    expect(body).toMatchObject({ interval: 5 });
  });

  it('returns a bare-host resource_url when configured', async () => {
    const server = await start({ resourceUrl: 'portal.qwen.ai', autoApprove: true });
    const pair = createPkcePair();
    const { body } = await requestDeviceCode(server, pair.codeChallenge);
    const tokens = await pollDeviceToken(server, body.device_code, pair.codeVerifier);
    expect(tokens.body).toMatchObject({ resource_url: 'portal.qwen.ai' });
  });
});
