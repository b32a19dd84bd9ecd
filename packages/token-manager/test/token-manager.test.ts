import { readdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import type { UpstreamToken } from '@qwen-relay/contracts';
import { isQwenRelayError } from '@qwen-relay/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness, leakAudit } from './support/create-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function setUp(options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  harness = await createHarness(options);
  return harness;
}

function codeOf(error: unknown): string | undefined {
  return isQwenRelayError(error) ? error.code : undefined;
}

describe('serving and validity', () => {
  it('serves the file token without refreshing while it is valid', async () => {
    const h = await setUp();
    const manager = h.createManager();
    await manager.start();
    const file = JSON.parse(await h.readFileText());
    const token = await manager.getAccessToken();
    expect(token).toEqual({
      accessToken: file.access_token,
      expiresAtInMs: file.expiry_date,
      resourceUrl: h.fake.url,
      authType: 'qwen-oauth',
    });
    expect(h.fake.counters.refreshCalls).toBe(0);
    expect(manager.getStatus()).toMatchObject({ state: 'ok', accountId: 'default' });
    expect(h.events.some((event) => event.type === 'token-served')).toBe(true);
  });

  it('refreshes a token inside the 30 s buffer (injected clock) before serving it', async () => {
    const h = await setUp();
    const file = JSON.parse(await h.readFileText());
    let nowInMs = file.expiry_date - 30_001;
    const manager = h.createManager({ now: () => nowInMs });
    expect((await manager.getAccessToken()).accessToken).toBe(file.access_token);
    nowInMs += 1; // now exactly expiry - buffer: no longer usable
    const refreshed = await manager.getAccessToken();
    expect(refreshed.accessToken).not.toBe(file.access_token);
    expect(h.fake.counters.refreshCalls).toBe(1);
    expect(h.events).toContainEqual({
      type: 'refresh-started',
      accountId: 'default',
      reason: 'expiring',
    });
  });

  it('treats a missing expiry_date as expired', async () => {
    const h = await setUp();
    const file = JSON.parse(await h.readFileText());
    delete file.expiry_date;
    await writeFile(h.credentialsPath, JSON.stringify(file));
    const manager = h.createManager();
    expect((await manager.getAccessToken()).accessToken).not.toBe(file.access_token);
    expect(h.fake.counters.refreshCalls).toBe(1);
  });
});

describe('peekAccessToken (the request path without awaits)', () => {
  it('serves what getAccessToken serves, only once started and while nothing is due', async () => {
    const h = await setUp();
    const file = JSON.parse(await h.readFileText());
    let nowInMs = Date.now();
    const manager = h.createManager({ now: () => nowInMs, fileCheckIntervalInMs: 5_000 });
    // not started: the start-up (crash recovery, first file read) must run first
    expect(manager.peekAccessToken()).toBeUndefined();
    const token = await manager.getAccessToken();
    const served = h.events.filter((event) => event.type === 'token-served').length;
    expect(manager.peekAccessToken()).toEqual(token);
    // counted as served, like getAccessToken
    expect(h.events.filter((event) => event.type === 'token-served')).toHaveLength(served + 1);
    // the throttled file check is due: getAccessToken has a stat to make first
    nowInMs += 5_000;
    expect(manager.peekAccessToken()).toBeUndefined();
    await manager.getAccessToken();
    expect(manager.peekAccessToken()?.accessToken).toBe(file.access_token);
    // inside the refresh buffer: a refresh is due
    nowInMs = file.expiry_date - 30_000;
    expect(manager.peekAccessToken()).toBeUndefined();
    expect((await manager.getAccessToken()).accessToken).not.toBe(file.access_token);
    expect(h.fake.counters.refreshCalls).toBe(1);
  });

  it('serves nothing for an invalidated token, or after close', async () => {
    const h = await setUp();
    const manager = h.createManager();
    const token = await manager.getAccessToken();
    const next = await manager.invalidate(token, 'unauthorized');
    expect(manager.peekAccessToken()?.accessToken).toBe(next.accessToken);
    expect(manager.peekAccessToken()?.accessToken).not.toBe(token.accessToken);
    await manager.close();
    expect(manager.peekAccessToken()).toBeUndefined();
  });

  it('sees a token another program wrote once the file check is due', async () => {
    const h = await setUp();
    let nowInMs = Date.now();
    const manager = h.createManager({ now: () => nowInMs, fileCheckIntervalInMs: 60_000 });
    const first = await manager.getAccessToken();
    await h.writeCredentials();
    // within the interval the file is not looked at (as getAccessToken)
    expect(manager.peekAccessToken()?.accessToken).toBe(first.accessToken);
    nowInMs += 60_000;
    expect(manager.peekAccessToken()).toBeUndefined();
    const second = await manager.getAccessToken();
    expect(second.accessToken).toBe(JSON.parse(await h.readFileText()).access_token);
    expect(manager.peekAccessToken()).toEqual(second);
    expect(h.fake.counters.refreshCalls).toBe(0);
  });
});

describe('single flight', () => {
  it('1,000 concurrent getAccessToken() on an expired token make exactly one refresh call', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    const before = JSON.parse(await h.readFileText());
    const manager = h.createManager();
    const tokens = await Promise.all(Array.from({ length: 1_000 }, () => manager.getAccessToken()));
    expect(h.fake.counters.refreshCalls).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    const after = JSON.parse(await h.readFileText());
    expect(tokens[0]?.accessToken).toBe(after.access_token);
    // rotation persisted: the old refresh token is dead, the one on disk is live
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(h.fake.isRefreshTokenValid(before.refresh_token)).toBe(false);
    expect(h.fake.isRefreshTokenValid(after.refresh_token)).toBe(true);
    expect((await stat(h.credentialsPath)).mode & 0o777).toBe(0o600);
    expect(await h.isAccessTokenAccepted(after.access_token)).toBe(true);
  });

  it('shares one failure with every concurrent caller', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    h.fake.configure({ wafMode: true });
    const manager = h.createManager({ refreshRetry: { maxAttempts: 2, baseDelayInMs: 1 } });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => manager.getAccessToken()),
    );
    const reasons = new Set(
      results.map((result) => (result.status === 'rejected' ? result.reason : 'ok')),
    );
    expect(reasons.size).toBe(1);
    expect(codeOf([...reasons][0])).toBe('QWEN_RELAY_TOKEN_REFRESH_FAILED');
    expect(h.fake.counters.refreshCalls).toBe(2);
  });
});

describe('invalidation', () => {
  it('a storm of 100 401s on one token causes exactly one refresh', async () => {
    const h = await setUp();
    const manager = h.createManager();
    const rejected = await manager.getAccessToken();
    const next = await Promise.all(
      Array.from({ length: 100 }, () => manager.invalidate(rejected, 'unauthorized')),
    );
    expect(h.fake.counters.refreshCalls).toBe(1);
    expect(new Set(next.map((token) => token.accessToken)).size).toBe(1);
    expect(next[0]?.accessToken).not.toBe(rejected.accessToken);
    // a late 401 for the old token is stale: no further refresh
    expect((await manager.invalidate(rejected, 'forbidden')).accessToken).toBe(
      next[0]?.accessToken,
    );
    expect(h.fake.counters.refreshCalls).toBe(1);
  });

  it('ignores suspected-expiry on a token it just refreshed and refreshes an old one', async () => {
    const h = await setUp();
    let nowInMs = Date.now();
    const manager = h.createManager({
      now: () => nowInMs,
      minimumTokenAgeForSuspicionInMs: 60_000,
    });
    const token = await manager.refresh({ force: true });
    expect(h.fake.counters.refreshCalls).toBe(1);
    expect((await manager.invalidate(token, 'suspected-expiry')).accessToken).toBe(
      token.accessToken,
    );
    expect(h.fake.counters.refreshCalls).toBe(1);
    expect(h.events).toContainEqual(
      expect.objectContaining({ type: 'token-invalidated', action: 'too-young' }),
    );
    nowInMs += 61_000;
    expect((await manager.invalidate(token, 'suspected-expiry')).accessToken).not.toBe(
      token.accessToken,
    );
    expect(h.fake.counters.refreshCalls).toBe(2);
  });

  it('a refresh started before an invalidation never re-installs the invalidated token', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    // another process holds the lock, so our refresh waits
    await writeFile(h.lockPath, 'other-process');
    const manager = h.createManager({ fileCheckIntervalInMs: 10 });
    await manager.start();
    const waiting = manager.getAccessToken();
    await h.waitForEvent((event) => event.type === 'lock-waiting');
    // meanwhile a valid token appears in the file and our watcher installs it ...
    await h.writeCredentials();
    const fileToken = JSON.parse(await h.readFileText()).access_token as string;
    await h.waitForEvent(
      (event) => event.type === 'token-adopted' && event.source === 'file-changed',
    );
    // ... and upstream rejects it; the refresh that is still waiting must not adopt it later
    const rejected: UpstreamToken = { accessToken: fileToken, authType: 'qwen-oauth' };
    const invalidating = manager.invalidate(rejected, 'unauthorized');
    await unlink(h.lockPath);
    const [served, replacement] = await Promise.all([waiting, invalidating]);
    expect(replacement.accessToken).not.toBe(fileToken);
    expect(served.accessToken).toBe(replacement.accessToken);
    expect(h.fake.counters.refreshCalls).toBe(1);
    expect(JSON.parse(await h.readFileText()).access_token).toBe(replacement.accessToken);
  });
});

describe('transient refresh failures', () => {
  it('retries a WAF HTML page and 5xx with backoff instead of treating them as revoked', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    h.fake.inject({ endpoint: 'token', action: { type: 'waf' } });
    h.fake.inject({
      endpoint: 'token',
      action: { type: 'status', status: 503, body: { error: 'busy' } },
    });
    const manager = h.createManager();
    const token = await manager.getAccessToken();
    expect(await h.isAccessTokenAccepted(token.accessToken)).toBe(true);
    expect(h.fake.counters.refreshCalls).toBe(3);
    const failures = h.events.filter((event) => event.type === 'refresh-failed');
    expect(failures).toEqual([
      expect.objectContaining({
        attempt: 1,
        retryable: true,
        errorCode: 'QWEN_RELAY_TOKEN_REFRESH_FAILED',
      }),
      expect.objectContaining({
        attempt: 2,
        retryable: true,
        errorCode: 'QWEN_RELAY_TOKEN_REFRESH_FAILED',
      }),
    ]);
    expect(
      failures.every((event) => event.type === 'refresh-failed' && event.retryInMs !== undefined),
    ).toBe(true);
    expect(manager.getStatus().state).toBe('ok');
  });

  it('gives up after bounded attempts with a transient error, file untouched, not needs-reauth', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    const before = await h.readFileText();
    h.fake.configure({ wafMode: true });
    let nowInMs = Date.now();
    const manager = h.createManager({
      now: () => nowInMs,
      refreshRetry: { maxAttempts: 3, baseDelayInMs: 1 },
    });
    const error = h.audit(await manager.getAccessToken().catch((caught: unknown) => caught));
    expect(codeOf(error)).toBe('QWEN_RELAY_TOKEN_REFRESH_FAILED');
    expect((error as { retryable?: boolean }).retryable).toBe(true);
    expect((error as Error).message).toContain('invalid JSON');
    expect(h.fake.counters.refreshCalls).toBe(3);
    expect(await h.readFileText()).toBe(before);
    expect(manager.getStatus()).toMatchObject({
      state: 'expired',
      lastRefresh: { outcome: 'failed', errorCode: 'QWEN_RELAY_TOKEN_REFRESH_FAILED' },
    });
    // and it recovers once the upstream does (after the 15 s refresh cool-off)
    h.fake.configure({ wafMode: false });
    nowInMs += 15_001;
    await expect(manager.getAccessToken()).resolves.toBeDefined();
  });

  it('keeps serving the current token while it is still valid when refresh fails', async () => {
    const h = await setUp();
    const file = JSON.parse(await h.readFileText());
    // inside the buffer but not yet expired
    const manager = h.createManager({
      now: () => file.expiry_date - 10_000,
      refreshRetry: { maxAttempts: 2, baseDelayInMs: 1 },
    });
    h.fake.configure({ wafMode: true });
    expect((await manager.getAccessToken()).accessToken).toBe(file.access_token);
    expect(h.fake.counters.refreshCalls).toBe(2);
  });
});

describe('rejected refresh token', () => {
  it('enters needs-reauth, leaves the file byte-identical and recovers when new credentials appear', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    const before = await h.readFileText();
    h.fake.revokeRefreshToken(JSON.parse(before).refresh_token);
    const manager = h.createManager({ fileCheckIntervalInMs: 10 });
    const error = h.audit(await manager.getAccessToken().catch((caught: unknown) => caught));
    expect(codeOf(error)).toBe('QWEN_RELAY_NEEDS_REAUTH');
    expect((error as Error).message).toContain('qwen-relay auth login');
    expect((error as { status?: number }).status).toBe(401);
    expect(await h.readFileText()).toBe(before);
    expect(manager.getStatus()).toMatchObject({ state: 'needs-reauth' });
    expect(manager.getStatus().message).toContain('qwen-relay auth login');
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'needs-reauth' }));

    // no retry storm against a dead refresh token, and no rewrite either
    const second = await manager.getAccessToken().catch((caught: unknown) => caught);
    expect(codeOf(second)).toBe('QWEN_RELAY_NEEDS_REAUTH');
    expect(h.fake.counters.refreshCalls).toBe(1);
    // touching the same dead file does not count as new credentials
    const touched = new Date();
    await utimes(h.credentialsPath, touched, touched);
    expect(await h.readFileText()).toBe(before);

    // the user logs in again (qwen-relay auth login or qwen-code): recovered without restart
    await h.writeCredentials();
    await h.waitForEvent((event) => event.type === 'recovered');
    const token = await manager.getAccessToken();
    expect(await h.isAccessTokenAccepted(token.accessToken)).toBe(true);
    expect(manager.getStatus().state).toBe('ok');
  });

  it('invalidate() during needs-reauth throws the typed error', async () => {
    const h = await setUp();
    const manager = h.createManager();
    const token = await manager.getAccessToken();
    h.fake.revokeRefreshToken();
    const error = h.audit(
      await manager.invalidate(token, 'unauthorized').catch((caught: unknown) => caught),
    );
    expect(codeOf(error)).toBe('QWEN_RELAY_NEEDS_REAUTH');
    expect(
      codeOf(await manager.invalidate(token, 'unauthorized').catch((caught: unknown) => caught)),
    ).toBe('QWEN_RELAY_NEEDS_REAUTH');
  });
});

describe('credentials file problems', () => {
  it('reports a corrupt file clearly, never writes it, and recovers when it is fixed', async () => {
    const h = await setUp();
    const corrupt = '{"access_token":"qat_half_written_value_0123456789","refresh_tok';
    await writeFile(h.credentialsPath, corrupt);
    const manager = h.createManager({ fileCheckIntervalInMs: 10 });
    await manager.start();
    expect(manager.getStatus()).toMatchObject({ state: 'corrupt' });
    const error = h.audit(await manager.getAccessToken().catch((caught: unknown) => caught));
    expect(codeOf(error)).toBe('QWEN_RELAY_CORRUPT_CREDENTIALS');
    expect((error as Error).message).toContain(h.credentialsPath);
    expect((error as Error).message).toContain('not valid JSON');
    expect((error as Error).message).not.toContain('qat_half_written');
    expect(await h.readFileText()).toBe(corrupt);
    expect(h.fake.counters.refreshCalls).toBe(0);

    await h.writeCredentials();
    await h.waitForEvent((event) => event.type === 'recovered');
    await expect(manager.getAccessToken()).resolves.toBeDefined();
  });

  it('starts without credentials and picks up a file that appears later', async () => {
    const h = await setUp({ withCredentials: false });
    const manager = h.createManager({ fileCheckIntervalInMs: 10 });
    await manager.start();
    expect(manager.getStatus()).toMatchObject({ state: 'no-credentials' });
    const error = h.audit(await manager.getAccessToken().catch((caught: unknown) => caught));
    expect(codeOf(error)).toBe('QWEN_RELAY_NO_CREDENTIALS');
    expect((error as Error).message).toContain('qwen-relay auth login');
    await h.writeCredentials();
    await h.waitForEvent((event) => event.type === 'recovered');
    expect(manager.getStatus().state).toBe('ok');
  });

  it('adopts a token another program wrote into the file (mtime change) without refreshing', async () => {
    const h = await setUp();
    const manager = h.createManager({ fileCheckIntervalInMs: 10 });
    const first = await manager.getAccessToken();
    await h.writeCredentials();
    await h.waitForEvent(
      (event) => event.type === 'token-adopted' && event.source === 'file-changed',
    );
    const second = await manager.getAccessToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.accessToken).toBe(JSON.parse(await h.readFileText()).access_token);
    expect(h.fake.counters.refreshCalls).toBe(0);
  });

  it('preserves unknown fields and writes qwen-code key order on refresh', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    const file = JSON.parse(await h.readFileText());
    await writeFile(
      h.credentialsPath,
      JSON.stringify({ ...file, _proxy_metadata: { note: 'kept' } }),
    );
    const manager = h.createManager();
    await manager.getAccessToken();
    const written = JSON.parse(await h.readFileText());
    expect(Object.keys(written)).toEqual([
      'access_token',
      'token_type',
      'refresh_token',
      'resource_url',
      'expiry_date',
      '_proxy_metadata',
    ]);
    expect(written._proxy_metadata).toEqual({ note: 'kept' });
    expect(typeof written.expiry_date).toBe('number');
    expect(written.expiry_date).toBeGreaterThan(Date.now());
  });
});

describe('cross-process lock', () => {
  it('waits for a lock held by another process and adopts its token with zero refresh calls', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    await writeFile(h.lockPath, 'other-process-uuid');
    // a long watch interval: the adoption must come from the re-read under the lock
    const manager = h.createManager({ fileCheckIntervalInMs: 60_000 });
    await manager.start();
    const pending = manager.getAccessToken();
    await h.waitForEvent((event) => event.type === 'lock-waiting');
    // the other process refreshes, writes, releases
    await h.writeCredentials();
    await unlink(h.lockPath);
    const token = await pending;
    expect(token.accessToken).toBe(JSON.parse(await h.readFileText()).access_token);
    expect(h.fake.counters.refreshCalls).toBe(0);
    expect(h.events).toContainEqual(
      expect.objectContaining({ type: 'token-adopted', source: 'other-process' }),
    );
    expect(manager.getStatus().lastRefresh?.outcome).toBe('adopted');
  });

  it('takes over a stale lock (mtime older than 35 s)', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    await writeFile(h.lockPath, 'crashed-process-uuid');
    const longAgo = new Date(Date.now() - 40_000);
    await utimes(h.lockPath, longAgo, longAgo);
    const manager = h.createManager();
    await manager.getAccessToken();
    expect(h.events).toContainEqual(
      expect.objectContaining({ type: 'lock-stale-removed', reason: 'expired' }),
    );
    expect(h.fake.counters.refreshCalls).toBe(1);
    expect((await readdir(h.qwenDir)).sort()).toEqual(['oauth_creds.json']);
  });

  it('uses oauth_creds_<name>.lock for a named account', async () => {
    const h = await setUp({ accountName: 'work' });
    await h.writeCredentials({ expiresInSeconds: -60 });
    expect(h.lockPath.endsWith('oauth_creds_work.lock')).toBe(true);
    // the default account's lock does not block the named account
    await writeFile(h.lockPath.replace('oauth_creds_work.lock', 'oauth_creds.lock'), 'other');
    const manager = h.createManager();
    await manager.getAccessToken();
    expect(h.events.some((event) => event.type === 'lock-waiting')).toBe(false);
    expect(h.events).toContainEqual(
      expect.objectContaining({ type: 'lock-acquired', lockPath: h.lockPath, accountId: 'work' }),
    );
  });

  it('close() stops waiting for a lock and leaves the lock of the other process alone', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    await writeFile(h.lockPath, 'other-process-uuid');
    const manager = h.createManager();
    const pending = manager.getAccessToken().catch((caught: unknown) => caught);
    await h.waitForEvent((event) => event.type === 'lock-waiting');
    await manager.close();
    expect(codeOf(await pending)).toBe('QWEN_RELAY_TOKEN_REFRESH_FAILED');
    expect((await readdir(h.qwenDir)).sort()).toEqual(['oauth_creds.json', 'oauth_creds.lock']);
    expect(h.fake.counters.refreshCalls).toBe(0);
  });

  it('close() during a token call lets it finish, persists the rotation and releases the lock', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    const before = JSON.parse(await h.readFileText());
    h.fake.inject({ endpoint: 'token', action: { type: 'delay-headers', delayInMs: 150 } });
    const manager = h.createManager();
    const pending = manager.getAccessToken();
    await h.waitForEvent((event) => event.type === 'lock-acquired');
    await manager.close();
    // the server rotated: dropping its answer would have logged this account out
    const after = JSON.parse(await h.readFileText());
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(h.fake.isRefreshTokenValid(after.refresh_token)).toBe(true);
    expect((await pending).accessToken).toBe(after.access_token);
    expect((await readdir(h.qwenDir)).sort()).toEqual(['oauth_creds.json']);
    await expect(manager.getAccessToken()).rejects.toThrow(/closed/);
  });
});

describe('manual refresh', () => {
  it('refresh() only refreshes an unusable token; refresh({ force: true }) always rotates', async () => {
    const h = await setUp();
    const manager = h.createManager();
    const current = await manager.getAccessToken();
    expect((await manager.refresh()).accessToken).toBe(current.accessToken);
    expect(h.fake.counters.refreshCalls).toBe(0);
    const forced = await manager.refresh({ force: true });
    expect(forced.accessToken).not.toBe(current.accessToken);
    expect(h.fake.counters.refreshCalls).toBe(1);
    expect(h.events).toContainEqual({
      type: 'refresh-started',
      accountId: 'default',
      reason: 'manual',
    });
  });
});

describe('caller abort', () => {
  it('an aborted caller stops waiting while the shared refresh completes for the others', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    h.fake.inject({ endpoint: 'token', action: { type: 'delay-headers', delayInMs: 150 } });
    const manager = h.createManager();
    const controller = new AbortController();
    const aborted = manager
      .getAccessToken({ signal: controller.signal })
      .catch((caught: unknown) => caught);
    const patient = manager.getAccessToken();
    await h.waitForEvent((event) => event.type === 'lock-acquired');
    controller.abort(new Error('client went away'));
    expect(((await aborted) as Error).message).toBe('client went away');
    expect(await h.isAccessTokenAccepted((await patient).accessToken)).toBe(true);
    expect(h.fake.counters.refreshCalls).toBe(1);
  });
});

describe('proactive refresh', () => {
  it('refreshes ahead of expiry without any request', async () => {
    const h = await setUp();
    // expires 40 s from now; with a 39.8 s buffer and no jitter the timer fires after ~200 ms
    await h.writeCredentials({ expiresInSeconds: 40 });
    const manager = h.createManager({
      proactiveRefresh: true,
      refreshBufferInMs: 39_800,
      proactiveRefreshJitterInMs: 0,
    });
    await manager.start();
    await h.waitForEvent((event) => event.type === 'refresh-succeeded');
    expect(h.events).toContainEqual({
      type: 'refresh-started',
      accountId: 'default',
      reason: 'proactive',
    });
    expect(h.fake.counters.refreshCalls).toBe(1);
  });
});

describe('timers', () => {
  it('runs only unref-able timers and clears them all on close()', async () => {
    const h = await setUp();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const manager = h.createManager({ proactiveRefresh: true });
      await manager.start();
      // the proactive refresh timer and the file watcher
      expect(vi.getTimerCount()).toBe(2);
      await manager.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('status', () => {
  it('reports ok, expiring, refreshing and expired with expiry details and no secrets', async () => {
    const h = await setUp();
    const file = JSON.parse(await h.readFileText());
    let nowInMs = file.expiry_date - 60_000;
    h.fake.inject({ endpoint: 'token', action: { type: 'delay-headers', delayInMs: 200 } });
    const manager = h.createManager({ now: () => nowInMs });
    await manager.start();
    expect(manager.getStatus()).toEqual({
      accountId: 'default',
      authType: 'qwen-oauth',
      state: 'ok',
      credentialsPath: h.credentialsPath,
      expiresAtInMs: file.expiry_date,
      secondsToExpiry: 60,
      resourceUrl: h.fake.url,
    });
    nowInMs = file.expiry_date - 10_000;
    expect(manager.getStatus().state).toBe('expiring');
    const refreshing = manager.getAccessToken();
    await h.waitForEvent((event) => event.type === 'refresh-started');
    expect(manager.getStatus().state).toBe('refreshing');
    await refreshing;
    expect(manager.getStatus()).toMatchObject({ state: 'ok', lastRefresh: { outcome: 'ok' } });
    nowInMs += 10 * 3_600_000;
    expect(manager.getStatus().state).toBe('expired');
  });

  it('fails with LockTimeoutError when another process never releases the lock', async () => {
    const h = await setUp();
    await h.writeCredentials({ expiresInSeconds: -60 });
    await writeFile(h.lockPath, 'busy-process');
    const manager = h.createManager({ lock: { maxAttempts: 3, initialDelayInMs: 5 } });
    const error = h.audit(await manager.getAccessToken().catch((caught: unknown) => caught));
    expect(codeOf(error)).toBe('QWEN_RELAY_LOCK_TIMEOUT');
    expect(h.fake.counters.refreshCalls).toBe(0);
    expect(h.events.filter((event) => event.type === 'lock-waiting')).toHaveLength(2);
  });
});

describe('proactive schedule', () => {
  it('keeps the jitter within a fifth of the time left, so short-lived tokens do not loop', async () => {
    const h = await setUp({ fakeOptions: { accessTokenTtlInSeconds: 60 } });
    await h.writeCredentials();
    const file = JSON.parse(await h.readFileText());
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    try {
      const manager = h.createManager({
        proactiveRefresh: true,
        now: () => file.expiry_date - 60_000,
        fileCheckIntervalInMs: 60_000,
      });
      await manager.start();
      const delays = setTimeoutSpy.mock.calls.map((call) => call[1] ?? 0);
      // 60 s lifetime - 30 s buffer = 30 s left; the default 60 s jitter is capped at 6 s
      expect(delays.some((delay) => delay >= 24_000 && delay <= 30_000)).toBe(true);
      expect(delays.some((delay) => delay < 24_000 && delay > 1_000)).toBe(false);
      expect(h.fake.counters.refreshCalls).toBe(0);
    } finally {
      setTimeoutSpy.mockRestore();
    }
  });
});

describe('redaction', () => {
  it('no event, status or error message of any scenario contains token text', () => {
    expect(leakAudit.secrets.size).toBeGreaterThan(20);
    expect(leakAudit.texts.length).toBeGreaterThan(100);
    const leaks = leakAudit.texts.filter((text) =>
      [...leakAudit.secrets].some((secret) => text.includes(secret)),
    );
    expect(leaks).toEqual([]);
  });
});
