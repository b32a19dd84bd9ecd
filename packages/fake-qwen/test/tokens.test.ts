import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QWEN_OAUTH_CLIENT_ID } from '../src/constants';
import { startFakeQwen } from '../src/server/start-fake-qwen';
import type { FakeQwen } from '../src/types';
import { chatBody, postChat, postForm, refreshToken } from './helpers';

const INVALID_REFRESH_BODY = {
  error: 'invalid_request',
  error_description: 'Invalid refresh token or client_id',
};

let fake: FakeQwen | undefined;
const tempDirs: string[] = [];
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('refresh grant with rotation', () => {
  it('rotates: new pair in the reference key order, the old refresh token is rejected with the exact body', async () => {
    fake = await startFakeQwen();
    const credentials = fake.issueCredentials();
    const first = await refreshToken(fake, credentials.refresh_token);
    expect(first.status).toBe(200);
    const body = first.body as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'access_token',
      'token_type',
      'expires_in',
      'refresh_token',
      'resource_url',
    ]);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, resource_url: fake.url });
    expect(body.refresh_token).not.toBe(credentials.refresh_token);
    expect(body.access_token).not.toBe(credentials.access_token);
    expect(fake.isRefreshTokenValid(credentials.refresh_token)).toBe(false);
    expect(fake.isRefreshTokenValid(body.refresh_token as string)).toBe(true);

    const reused = await refreshToken(fake, credentials.refresh_token);
    expect(reused.status).toBe(400);
    expect(reused.contentType).toMatch(/^application\/json/);
    expect(reused.body).toEqual(INVALID_REFRESH_BODY);

    const next = await refreshToken(fake, body.refresh_token as string);
    expect(next.status).toBe(200);
    expect(fake.counters.refreshCalls).toBe(3);
    expect(fake.counters.refreshSuccesses).toBe(2);
  });

  it('lets only one of two concurrent refreshes with the same token win', async () => {
    fake = await startFakeQwen();
    const { refresh_token } = fake.issueCredentials();
    const results = await Promise.all([
      refreshToken(fake, refresh_token),
      refreshToken(fake, refresh_token),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 400]);
  });

  it('rejects a wrong client_id, a missing token and JSON bodies', async () => {
    fake = await startFakeQwen();
    const { refresh_token } = fake.issueCredentials();
    const wrongClient = await postForm(`${fake.url}/api/v1/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token,
      client_id: 'other',
    });
    expect(wrongClient.status).toBe(400);
    expect(wrongClient.body).toEqual(INVALID_REFRESH_BODY);
    const missing = await postForm(`${fake.url}/api/v1/oauth2/token`, {
      grant_type: 'refresh_token',
      client_id: QWEN_OAUTH_CLIENT_ID,
    });
    expect(missing.body).toEqual(INVALID_REFRESH_BODY);
    const json = await fetch(`${fake.url}/api/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'refresh_token',
        refresh_token,
        client_id: QWEN_OAUTH_CLIENT_ID,
      }),
    });
    expect(json.status).toBe(400);
    // the failed attempts did not consume the token
    expect(fake.isRefreshTokenValid(refresh_token)).toBe(true);
  });

  it('revokeRefreshToken() rejects one token or all of them', async () => {
    fake = await startFakeQwen();
    const first = fake.issueCredentials();
    const second = fake.issueCredentials();
    fake.revokeRefreshToken(first.refresh_token);
    expect((await refreshToken(fake, first.refresh_token)).body).toEqual(INVALID_REFRESH_BODY);
    expect(fake.isRefreshTokenValid(second.refresh_token)).toBe(true);
    fake.revokeRefreshToken();
    expect((await refreshToken(fake, second.refresh_token)).body).toEqual(INVALID_REFRESH_BODY);
  });

  it('uses the configured expires_in', async () => {
    fake = await startFakeQwen({ accessTokenTtlInSeconds: 120 });
    const { refresh_token } = fake.issueCredentials();
    expect((await refreshToken(fake, refresh_token)).body).toMatchObject({ expires_in: 120 });
    fake.configure({ accessTokenTtlInSeconds: 30 });
    expect(fake.issueCredentials().expiry_date).toBeLessThanOrEqual(Date.now() + 30_000);
  });
});

describe('access tokens', () => {
  it('401s with the captured body for missing, unknown, expired and invalidated tokens', async () => {
    let nowInMs = 10_000_000;
    fake = await startFakeQwen({ now: () => nowInMs });
    const credentials = fake.issueCredentials({ expiresInSeconds: 60 });
    expect(credentials.expiry_date).toBe(10_060_000);
    expect(
      (await postChat(fake, { token: credentials.access_token, body: chatBody() })).status,
    ).toBe(200);

    for (const token of [undefined, 'qat_unknown']) {
      const response = await postChat(fake, { ...(token ? { token } : {}), body: chatBody() });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: unknown; request_id: unknown };
      expect(body.error).toEqual({
        code: 'invalid_api_key',
        message: 'invalid access token or token expired',
        param: null,
        type: 'invalid_request_error',
      });
      expect(body.request_id).toEqual(expect.any(String));
    }

    nowInMs = 10_059_999;
    expect(
      (await postChat(fake, { token: credentials.access_token, body: chatBody() })).status,
    ).toBe(200);
    nowInMs = 10_060_000;
    expect(
      (await postChat(fake, { token: credentials.access_token, body: chatBody() })).status,
    ).toBe(401);

    const fresh = fake.issueCredentials();
    const other = fake.issueCredentials();
    fake.invalidateAccessToken(fresh.access_token);
    expect((await postChat(fake, { token: fresh.access_token, body: chatBody() })).status).toBe(
      401,
    );
    expect((await postChat(fake, { token: other.access_token, body: chatBody() })).status).toBe(
      200,
    );
    fake.invalidateAccessToken();
    expect((await postChat(fake, { token: other.access_token, body: chatBody() })).status).toBe(
      401,
    );
    // invalidation does not touch refresh tokens
    expect((await refreshToken(fake, other.refresh_token)).status).toBe(200);
    expect(fake.counters.unauthorizedSent).toBe(5);
    expect(fake.tokensSeen.has(credentials.access_token)).toBe(true);
    expect(fake.tokensSeen.has('qat_unknown')).toBe(true);
  });

  it('accepts configured API keys', async () => {
    fake = await startFakeQwen({ apiKeys: ['sk-test'] });
    expect((await postChat(fake, { token: 'sk-test', body: chatBody() })).status).toBe(200);
  });
});

describe('credentials files', () => {
  it('writes oauth_creds.json (0600, dir 0700) in qwen-code key order, and named accounts', async () => {
    fake = await startFakeQwen();
    const dir = await mkdtemp(join(tmpdir(), 'fake-qwen-'));
    tempDirs.push(dir);
    const qwenDir = join(dir, '.qwen');
    const path = await fake.writeCredentialsFile({ dir: qwenDir, expiresInSeconds: 90 });
    expect(path).toBe(join(qwenDir, 'oauth_creds.json'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(qwenDir)).mode & 0o777).toBe(0o700);
    const text = await readFile(path, 'utf8');
    const written = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(written)).toEqual([
      'access_token',
      'token_type',
      'refresh_token',
      'resource_url',
      'expiry_date',
    ]);
    expect(text).toContain('\n  "access_token"');
    expect(written.expiry_date).toBeGreaterThan(Date.now() + 80_000);
    expect(
      (await postChat(fake, { token: written.access_token as string, body: chatBody() })).status,
    ).toBe(200);

    const given = fake.issueCredentials();
    const named = await fake.writeCredentialsFile({
      dir: qwenDir,
      accountName: 'work',
      credentials: given,
    });
    expect(named).toBe(join(qwenDir, 'oauth_creds_work.json'));
    expect(JSON.parse(await readFile(named, 'utf8'))).toEqual(given);
  });
});
