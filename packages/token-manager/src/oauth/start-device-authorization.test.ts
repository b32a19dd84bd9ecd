import { createHash } from 'node:crypto';
import { isQwenRelayError } from '@qwen-relay/contracts';
import { type ScriptedResponse, startScriptedServer } from '@qwen-relay/fake-qwen/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startDeviceAuthorization } from './start-device-authorization';

const DEVICE_CODE_ANSWER = {
  device_code: 'dc_unit_device_code',
  user_code: 'K7PX2QMA',
  verification_uri: 'https://chat.qwen.ai/authorize',
  verification_uri_complete: 'https://chat.qwen.ai/authorize?user_code=K7PX2QMA&client=qwen-code',
  expires_in: 1800,
};
const APPROVED = {
  status: 200,
  body: {
    access_token: 'qat_device',
    refresh_token: 'qrt_device',
    token_type: 'Bearer',
    expires_in: 3600,
    resource_url: 'portal.qwen.ai',
  },
};
const pending = { status: 400, body: { error: 'authorization_pending' } };

describe('device authorization flow', () => {
  let server: Awaited<ReturnType<typeof startScriptedServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Serves the device code, then the given poll answers in order (the last one repeats). */
  async function startFlow(pollAnswers: ScriptedResponse[]) {
    let challenge = '';
    let pollIndex = 0;
    server = await startScriptedServer(({ request }) => {
      if (request.path === '/api/v1/oauth2/device/code') {
        challenge = request.form.code_challenge ?? '';
        return { status: 200, body: DEVICE_CODE_ANSWER };
      }
      // a real PKCE check: S256 of the verifier must equal the challenge
      const computed = createHash('sha256')
        .update(request.form.code_verifier ?? '')
        .digest('base64url');
      if (computed !== challenge) return { status: 400, body: { error: 'invalid_grant' } };
      const answer = pollAnswers[Math.min(pollIndex, pollAnswers.length - 1)];
      pollIndex += 1;
      return answer ?? pending;
    });
    let nowInMs = 1_000_000;
    const sleeps: number[] = [];
    const authorization = await startDeviceAuthorization({
      oauthBaseUrl: server.url,
      now: () => nowInMs,
      sleep: async (delayInMs) => {
        sleeps.push(delayInMs);
        nowInMs += delayInMs;
      },
    });
    return {
      authorization,
      sleeps,
      requests: server.requests,
      advance: (ms: number) => (nowInMs += ms),
    };
  }

  it('starts with PKCE S256 and returns credentials once approved', async () => {
    const { authorization, sleeps, requests } = await startFlow([pending, pending, APPROVED]);
    expect(authorization).toMatchObject({
      userCode: 'K7PX2QMA',
      verificationUri: 'https://chat.qwen.ai/authorize',
      verificationUriComplete: DEVICE_CODE_ANSWER.verification_uri_complete,
      expiresAtInMs: 1_000_000 + 1_800_000,
    });
    const start = requests[0];
    expect(start?.form).toMatchObject({
      client_id: 'f0304373b74a44d2b584a3fb70ca9e56',
      scope: 'openid profile email model.completion',
      code_challenge_method: 'S256',
    });
    expect(start?.form.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const polls: string[] = [];
    const credentials = await authorization.pollForCredentials({
      onPoll: ({ state }) => polls.push(state),
    });
    expect(credentials).toEqual({
      access_token: 'qat_device',
      refresh_token: 'qrt_device',
      token_type: 'Bearer',
      resource_url: 'portal.qwen.ai',
      expiry_date: 1_000_000 + 4_000 + 3_600_000,
    });
    expect(requests[1]?.form).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: 'dc_unit_device_code',
    });
    expect(requests[1]?.form.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(polls).toEqual(['pending', 'pending']);
    expect(sleeps).toEqual([2_000, 2_000]);
  });

  it.each([429, 400])('slows down ×1.5 up to 10 s on slow_down with status %i', async (status) => {
    const slowDown = { status, body: { error: 'slow_down' } };
    const { authorization, sleeps } = await startFlow([
      ...Array.from({ length: 6 }, () => slowDown),
      pending,
      APPROVED,
    ]);
    await authorization.pollForCredentials();
    expect(sleeps).toEqual([3_000, 4_500, 6_750, 10_000, 10_000, 10_000, 10_000]);
  });

  it.each<[string, ScriptedResponse, string]>([
    [
      'expired_token',
      { status: 400, body: { error: 'expired_token' } },
      'QWEN_RELAY_DEVICE_FLOW_EXPIRED',
    ],
    ['a 401', { status: 401, body: { error: 'invalid_client' } }, 'QWEN_RELAY_DEVICE_FLOW_EXPIRED'],
    [
      'access_denied',
      { status: 400, body: { error: 'access_denied' } },
      'QWEN_RELAY_DEVICE_FLOW_DENIED',
    ],
    [
      'invalid_grant',
      { status: 400, body: { error: 'invalid_grant' } },
      'QWEN_RELAY_DEVICE_FLOW_FAILED',
    ],
  ])('ends on %s', async (_name, answer, code) => {
    const { authorization } = await startFlow([pending, answer]);
    const error = await authorization.pollForCredentials().catch((caught: unknown) => caught);
    expect(isQwenRelayError(error) && error.code).toBe(code);
  });

  it('keeps polling through transient 5xx and HTML answers', async () => {
    const { authorization } = await startFlow([
      { status: 503, body: { error: 'unavailable' } },
      { status: 200, body: '<html>waf</html>' },
      APPROVED,
    ]);
    await expect(authorization.pollForCredentials()).resolves.toMatchObject({
      access_token: 'qat_device',
    });
  });

  it('gives up with EXPIRED at the expires_in deadline', async () => {
    // slow_down pushes the interval to 10 s so the walk to the deadline takes few polls
    const { authorization, sleeps } = await startFlow([
      { status: 429, body: { error: 'slow_down' } },
    ]);
    const error = await authorization.pollForCredentials().catch((caught: unknown) => caught);
    expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_DEVICE_FLOW_EXPIRED');
    expect(sleeps.reduce((sum, delay) => sum + delay, 0)).toBe(1_800_000);
  });

  it('is abortable while waiting between polls', async () => {
    server = await startScriptedServer(({ request }) =>
      request.path.endsWith('/device/code') ? { status: 200, body: DEVICE_CODE_ANSWER } : pending,
    );
    const authorization = await startDeviceAuthorization({ oauthBaseUrl: server.url });
    const controller = new AbortController();
    const polling = authorization.pollForCredentials({
      signal: controller.signal,
      // abort while the real 2 s timer is pending
      onPoll: () => controller.abort(new Error('user pressed Ctrl-C')),
    });
    await expect(polling).rejects.toThrow('user pressed Ctrl-C');
    expect(server.requests).toHaveLength(2);
  });

  it('reports an HTML device-code answer (discontinued tier) as FAILED', async () => {
    server = await startScriptedServer(() => ({ status: 200, body: '<html>gone</html>' }));
    const error = await startDeviceAuthorization({ oauthBaseUrl: server.url }).catch(
      (caught: unknown) => caught,
    );
    expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_DEVICE_FLOW_FAILED');
    expect((error as Error).message).toContain('non-JSON');
  });
});
