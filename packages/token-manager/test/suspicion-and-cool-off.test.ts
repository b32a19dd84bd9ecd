import { unlink, writeFile } from 'node:fs/promises';
import type { UpstreamToken } from '@qwen-relay/contracts';
import { isQwenRelayError } from '@qwen-relay/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/create-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function setUp(options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  harness = await createHarness(options);
  return harness;
}

function fieldsOf(error: unknown): { code?: string; retryable?: boolean; retryAfterInMs?: number } {
  if (!isQwenRelayError(error)) return {};
  return {
    code: error.code,
    ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
    ...(error.retryAfterInMs === undefined ? {} : { retryAfterInMs: error.retryAfterInMs }),
  };
}

function invalidationActions(h: Harness): string[] {
  return h.events.flatMap((event) => (event.type === 'token-invalidated' ? [event.action] : []));
}

describe('suspected-expiry and token age', () => {
  it('refreshes a start-up token of unknown age once, even from a brand-new file, then protects the new token', async () => {
    const h = await setUp();
    // a fresh file (mtime: now) whose token the upstream already considers expired
    const startUpToken = JSON.parse(await h.readFileText()).access_token as string;
    h.fake.invalidateAccessToken(startUpToken);
    const manager = h.createManager();
    await manager.start();
    const first = await manager.getAccessToken();
    expect(first.accessToken).toBe(startUpToken);

    // a burst of 504s on that token: one refresh, one replacement for everybody
    const replacements = await Promise.all(
      Array.from({ length: 20 }, () => manager.invalidate(first, 'suspected-expiry')),
    );
    expect(h.fake.counters.refreshCalls).toBe(1);
    expect(new Set(replacements.map((token) => token.accessToken)).size).toBe(1);
    const refreshed = replacements[0] as UpstreamToken;
    expect(refreshed.accessToken).not.toBe(startUpToken);
    expect(await h.isAccessTokenAccepted(refreshed.accessToken)).toBe(true);

    // the token we just obtained is protected: 504s on it are an overloaded upstream
    const again = await Promise.all(
      Array.from({ length: 10 }, () => manager.invalidate(refreshed, 'suspected-expiry')),
    );
    expect(again.every((token) => token.accessToken === refreshed.accessToken)).toBe(true);
    // a late 504 for the start-up token is stale
    expect((await manager.invalidate(first, 'suspected-expiry')).accessToken).toBe(
      refreshed.accessToken,
    );
    expect(h.fake.counters.refreshCalls).toBe(1);
    const actions = invalidationActions(h);
    expect(actions.filter((action) => action === 'refresh')).toHaveLength(1);
    expect(actions).toContain('too-young');
    expect(actions).toContain('already-replaced');
  });

  it('protects a token obtained by our refresh for minimumTokenAgeForSuspicionInMs only', async () => {
    const h = await setUp();
    let nowInMs = Date.now();
    const manager = h.createManager({
      now: () => nowInMs,
      minimumTokenAgeForSuspicionInMs: 60_000,
    });
    const startUp = await manager.getAccessToken();
    const refreshed = await manager.invalidate(startUp, 'suspected-expiry');
    expect(refreshed.accessToken).not.toBe(startUp.accessToken);
    expect(h.fake.counters.refreshCalls).toBe(1);
    nowInMs += 59_000;
    expect((await manager.invalidate(refreshed, 'suspected-expiry')).accessToken).toBe(
      refreshed.accessToken,
    );
    expect(h.fake.counters.refreshCalls).toBe(1);
    nowInMs += 2_000;
    expect((await manager.invalidate(refreshed, 'suspected-expiry')).accessToken).not.toBe(
      refreshed.accessToken,
    );
    expect(h.fake.counters.refreshCalls).toBe(2);
  });

  it('treats a token from a file change it did not refresh under the lock as of unknown age', async () => {
    const h = await setUp();
    const manager = h.createManager({ fileCheckIntervalInMs: 10 });
    await manager.getAccessToken();
    await h.writeCredentials();
    const written = JSON.parse(await h.readFileText()).access_token as string;
    h.fake.invalidateAccessToken(written);
    await h.waitForEvent(
      (event) => event.type === 'token-adopted' && event.source === 'file-changed',
    );
    const adopted = await manager.getAccessToken();
    expect(adopted.accessToken).toBe(written);
    const next = await manager.invalidate(adopted, 'suspected-expiry');
    expect(next.accessToken).not.toBe(written);
    expect(h.fake.counters.refreshCalls).toBe(1);
    expect(await h.isAccessTokenAccepted(next.accessToken)).toBe(true);
  });

  it('protects a token adopted under the lock after another process refreshed', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    await writeFile(h.lockPath, 'other-process-uuid');
    const manager = h.createManager({ fileCheckIntervalInMs: 60_000 });
    await manager.start();
    const pending = manager.getAccessToken();
    await h.waitForEvent((event) => event.type === 'lock-waiting');
    await h.writeCredentials();
    await unlink(h.lockPath);
    const adopted = await pending;
    expect((await manager.invalidate(adopted, 'suspected-expiry')).accessToken).toBe(
      adopted.accessToken,
    );
    expect(h.fake.counters.refreshCalls).toBe(0);
    expect(invalidationActions(h)).toEqual(['too-young']);
  });

  it('does not let file changes turn suspicion into a refresh storm right after a refresh', async () => {
    const h = await setUp();
    let nowInMs = Date.now();
    const manager = h.createManager({ now: () => nowInMs, fileCheckIntervalInMs: 10 });
    await manager.refresh({ force: true });
    expect(h.fake.counters.refreshCalls).toBe(1);
    // another process refreshes too (its token reaches us through the watcher only)
    await h.writeCredentials();
    const adopted = await h.waitForEvent(
      (event) => event.type === 'token-adopted' && event.source === 'file-changed',
    );
    expect(adopted.type).toBe('token-adopted');
    const token = await manager.getAccessToken();
    expect((await manager.invalidate(token, 'suspected-expiry')).accessToken).toBe(
      token.accessToken,
    );
    expect(h.fake.counters.refreshCalls).toBe(1);
    expect(invalidationActions(h)).toEqual(['recently-refreshed']);
    nowInMs += 61_000;
    expect((await manager.invalidate(token, 'suspected-expiry')).accessToken).not.toBe(
      token.accessToken,
    );
    expect(h.fake.counters.refreshCalls).toBe(2);
  });
});

describe('refresh cool-off after a failed flight', () => {
  it('answers callers inside the cool-off at once without token-endpoint calls (WAF: 3 requests)', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    h.fake.configure({ wafMode: true });
    let nowInMs = Date.now();
    const manager = h.createManager({
      now: () => nowInMs,
      refreshRetry: { maxAttempts: 5, baseDelayInMs: 1, maxDelayInMs: 2 },
    });
    const first = h.audit(await manager.getAccessToken().catch((caught: unknown) => caught));
    expect(fieldsOf(first)).toMatchObject({
      code: 'QWEN_RELAY_TOKEN_REFRESH_FAILED',
      retryable: true,
    });
    expect(h.fake.counters.refreshCalls).toBe(5);

    const second = h.audit(await manager.getAccessToken().catch((caught: unknown) => caught));
    nowInMs += 10_000;
    const third = h.audit(await manager.getAccessToken().catch((caught: unknown) => caught));
    // three requests against a WAF page: one flight's bounded retries, then nothing
    expect(h.fake.counters.refreshCalls).toBe(5);
    expect(fieldsOf(second)).toEqual({
      code: 'QWEN_RELAY_TOKEN_REFRESH_FAILED',
      retryable: true,
      retryAfterInMs: 15_000,
    });
    expect(fieldsOf(third).retryAfterInMs).toBe(5_000);
    expect((third as Error).message).toContain('invalid JSON');
    expect(h.events.filter((event) => event.type === 'refresh-started')).toHaveLength(1);

    // an invalidation inside the cool-off does not call the token endpoint either
    const token: UpstreamToken = {
      accessToken: JSON.parse(await h.readFileText()).access_token,
      authType: 'qwen-oauth',
    };
    const invalidated = await manager.invalidate(token, 'unauthorized').catch((e: unknown) => e);
    expect(fieldsOf(invalidated).code).toBe('QWEN_RELAY_TOKEN_REFRESH_FAILED');
    expect(h.fake.counters.refreshCalls).toBe(5);

    // once the cool-off is over the next caller starts a new flight
    h.fake.configure({ wafMode: false });
    nowInMs += 5_001;
    const recovered = await manager.getAccessToken();
    expect(await h.isAccessTokenAccepted(recovered.accessToken)).toBe(true);
    expect(h.fake.counters.refreshCalls).toBe(6);
  });

  it("lengthens the cool-off to the token endpoint's Retry-After", async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    h.fake.inject({
      endpoint: 'token',
      action: { type: 'status', status: 429, body: 'slow down', headers: { 'retry-after': '60' } },
    });
    const nowInMs = Date.now();
    const manager = h.createManager({ now: () => nowInMs, refreshRetry: { maxAttempts: 1 } });
    await expect(manager.getAccessToken()).rejects.toMatchObject({ upstreamStatus: 429 });
    await expect(manager.getAccessToken()).rejects.toMatchObject({
      retryable: true,
      retryAfterInMs: 60_000,
      upstreamStatus: 429,
    });
    expect(h.fake.counters.refreshCalls).toBe(1);
  });

  it('keeps serving a still-valid token during the cool-off', async () => {
    const h = await setUp();
    const file = JSON.parse(await h.readFileText());
    const manager = h.createManager({
      now: () => file.expiry_date - 10_000, // inside the buffer, not expired
      refreshRetry: { maxAttempts: 2, baseDelayInMs: 1 },
    });
    h.fake.configure({ wafMode: true });
    for (let request = 0; request < 3; request += 1) {
      expect((await manager.getAccessToken()).accessToken).toBe(file.access_token);
    }
    expect(h.fake.counters.refreshCalls).toBe(2);
  });

  it('ends the cool-off when the credentials file changes, and refresh({ force: true }) bypasses it', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    h.fake.configure({ wafMode: true });
    const nowInMs = Date.now();
    const manager = h.createManager({
      now: () => nowInMs,
      refreshRetry: { maxAttempts: 1 },
      refreshCoolOffInMs: 60_000,
    });
    await expect(manager.getAccessToken()).rejects.toThrow(/invalid JSON/);
    expect(h.fake.counters.refreshCalls).toBe(1);
    h.fake.configure({ wafMode: false });

    // another program writes new (already expired) credentials: a new refresh token may work
    await h.writeCredentials({ expiresInSeconds: -60 });
    const fromNewFile = await manager.getAccessToken();
    expect(h.fake.counters.refreshCalls).toBe(2);
    expect(await h.isAccessTokenAccepted(fromNewFile.accessToken)).toBe(true);

    // a new failed flight arms the cool-off again; `auth refresh` still goes through
    h.fake.configure({ wafMode: true });
    await expect(manager.refresh({ force: true })).rejects.toThrow(/invalid JSON/);
    await expect(manager.refresh()).resolves.toBeDefined(); // the token is still usable
    await expect(manager.invalidate(fromNewFile, 'unauthorized')).rejects.toMatchObject({
      retryAfterInMs: 60_000,
    });
    expect(h.fake.counters.refreshCalls).toBe(3);
    h.fake.configure({ wafMode: false });
    const forced = await manager.refresh({ force: true });
    expect(h.fake.counters.refreshCalls).toBe(4);
    expect(await h.isAccessTokenAccepted(forced.accessToken)).toBe(true);
  });
});
