import { type FakeQwen, startFakeQwen } from '@qwen-relay/fake-qwen';
import { createMemoryStateStore, type StateStore } from '@qwen-relay/state-store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSharedOAuthTokenSource,
  type SharedOAuthTokenSource,
} from './create-shared-oauth-token-source';
import { refreshLeaseKey, sharedCredentialsKey } from './shared-credentials-record';

let fake: FakeQwen;
let store: StateStore;
let sources: SharedOAuthTokenSource[];

async function importCredentials({
  expiresInSeconds,
}: {
  expiresInSeconds: number;
}): Promise<void> {
  const credentials = fake.issueCredentials({ expiresInSeconds });
  await store.set({
    key: sharedCredentialsKey('team'),
    value: JSON.stringify({
      version: 1,
      credentials,
      updatedAtInMs: Date.now(),
      updatedBy: 'import',
    }),
  });
}

function replica(
  name: string,
  options: { adoptWaitInMs?: number; leaseTtlInMs?: number; refreshBufferInMs?: number } = {},
) {
  const source = createSharedOAuthTokenSource({
    accountId: 'team',
    store,
    replicaId: name,
    oauthBaseUrl: fake.url,
    ...options,
  });
  sources.push(source);
  return source;
}

beforeEach(async () => {
  fake = await startFakeQwen();
  store = createMemoryStateStore();
  sources = [];
});
afterEach(async () => {
  await Promise.all(sources.map((source) => source.close()));
  await store.close();
  await fake.close();
});

async function waitUntil(condition: () => boolean, timeoutInMs = 10_000): Promise<void> {
  const deadlineInMs = Date.now() + timeoutInMs;
  while (!condition()) {
    if (Date.now() > deadlineInMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('createSharedOAuthTokenSource', () => {
  it('refreshes an expired record at start-up without any request, once across replicas', async () => {
    await importCredentials({ expiresInSeconds: -10 });
    const replicas = [replica('a'), replica('b'), replica('c')];
    await Promise.all(replicas.map((source) => source.reload()));
    await waitUntil(() => replicas.every((source) => source.status().version === 2));
    expect(fake.counters.refreshCalls).toBe(1);
    expect(replicas.map((source) => source.status().state)).toEqual(['ok', 'ok', 'ok']);
  });

  it('keeps an idle cluster’s token fresh: one refresh when it enters the refresh buffer', async () => {
    // usable for ~1 s more (31 s to expiry, 30 s buffer), then refreshed by a timer
    await importCredentials({ expiresInSeconds: 31 });
    const replicas = [replica('a'), replica('b')];
    await Promise.all(replicas.map((source) => source.reload()));
    expect(replicas.map((source) => source.status().state)).toEqual(['ok', 'ok']);
    await waitUntil(() => replicas.every((source) => source.status().version === 2));
    expect(fake.counters.refreshCalls).toBe(1);
    expect(fake.counters.refreshSuccesses).toBe(1);
  });

  it('serves the stored token without a refresh while it is valid', async () => {
    await importCredentials({ expiresInSeconds: 3600 });
    const source = replica('a');
    // nothing installed yet: the store must be read first
    expect(source.peekAccessToken?.()).toBeUndefined();
    const token = await source.getAccessToken();
    expect(fake.tokensSeen.has(token.accessToken) || token.accessToken.length > 0).toBe(true);
    expect(source.peekAccessToken?.()).toEqual(token);
    expect(fake.counters.refreshCalls).toBe(0);
  });

  it('refreshes an expired token once across three replicas and 90 concurrent callers', async () => {
    await importCredentials({ expiresInSeconds: -10 });
    const replicas = [replica('a'), replica('b'), replica('c')];
    const tokens = await Promise.all(
      Array.from({ length: 90 }, (_, index) => replicas[index % 3]!.getAccessToken()),
    );
    expect(fake.counters.refreshCalls).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    const stored = JSON.parse((await store.get(sharedCredentialsKey('team')))!);
    expect(stored.version).toBe(2);
    expect(stored.credentials.access_token).toBe(tokens[0]!.accessToken);
    expect(await store.get(refreshLeaseKey('team'))).toBeUndefined();
  });

  it('installs a pair another replica published without asking the store on the hot path', async () => {
    await importCredentials({ expiresInSeconds: 3600 });
    const a = replica('a');
    const b = replica('b');
    const before = await b.getAccessToken();
    // a's token was rejected upstream: a refreshes, b adopts from the publication
    const after = await a.invalidate(await a.getAccessToken(), 'unauthorized');
    expect(after.accessToken).not.toBe(before.accessToken);
    await expect.poll(() => b.status().version, { timeout: 5_000 }).toBe(2);
    expect((await b.getAccessToken()).accessToken).toBe(after.accessToken);
    expect(fake.counters.refreshCalls).toBe(1);
    expect(b.status().lastRefresh?.outcome).toBe('adopted');
  });

  it('refreshes a rejected token even when its expiry says it is valid, and only once for a storm', async () => {
    await importCredentials({ expiresInSeconds: 3600 });
    const replicas = [replica('a'), replica('b'), replica('c')];
    const first = await replicas[0]!.getAccessToken();
    await Promise.all(replicas.map((source) => source.getAccessToken()));
    fake.invalidateAccessToken(first.accessToken);
    const renewed = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        replicas[index % 3]!.invalidate(first, 'unauthorized'),
      ),
    );
    expect(fake.counters.refreshCalls).toBe(1);
    expect(new Set(renewed.map((token) => token.accessToken))).toEqual(
      new Set([renewed[0]!.accessToken]),
    );
    expect(renewed[0]!.accessToken).not.toBe(first.accessToken);
  });

  it('never spends the refresh token without the lease: waits, then 503 with Retry-After', async () => {
    await importCredentials({ expiresInSeconds: -10 });
    // a replica that died holding the lease
    await store.set({ key: refreshLeaseKey('team'), value: 'dead-replica', ttlInMs: 60_000 });
    const error = await replica('b', { adoptWaitInMs: 300 })
      .getAccessToken()
      .catch((caught) => caught);
    expect(error).toMatchObject({
      code: 'QWEN_RELAY_TOKEN_REFRESH_FAILED',
      status: 503,
      retryable: true,
    });
    expect(error.retryAfterInMs).toBeGreaterThan(0);
    expect(fake.counters.refreshCalls).toBe(0);
  });

  it('takes over once a dead holder’s lease expires, without losing the login', async () => {
    await importCredentials({ expiresInSeconds: -10 });
    await store.set({ key: refreshLeaseKey('team'), value: 'dead-replica', ttlInMs: 300 });
    const token = await replica('b', { adoptWaitInMs: 5_000 }).getAccessToken();
    expect(fake.counters.refreshCalls).toBe(1);
    expect(fake.counters.refreshSuccesses).toBe(1);
    expect(token.accessToken.length).toBeGreaterThan(0);
  });

  it('marks a rejected refresh token needs-reauth for every replica, with no retry loop', async () => {
    await importCredentials({ expiresInSeconds: -10 });
    const stored = JSON.parse((await store.get(sharedCredentialsKey('team')))!);
    fake.revokeRefreshToken(stored.credentials.refresh_token);
    const a = replica('a');
    const b = replica('b');
    await expect(a.getAccessToken()).rejects.toMatchObject({ code: 'QWEN_RELAY_NEEDS_REAUTH' });
    await expect(b.getAccessToken()).rejects.toMatchObject({ code: 'QWEN_RELAY_NEEDS_REAUTH' });
    await expect(a.getAccessToken()).rejects.toMatchObject({ code: 'QWEN_RELAY_NEEDS_REAUTH' });
    expect(fake.counters.refreshCalls).toBe(1);
    expect(b.status().state).toBe('needs-reauth');
    // a new import (new version) heals every replica
    const fresh = fake.issueCredentials({ expiresInSeconds: 3600 });
    await store.set({
      key: sharedCredentialsKey('team'),
      value: JSON.stringify({
        version: 10,
        credentials: fresh,
        updatedAtInMs: Date.now(),
        updatedBy: 'import',
      }),
    });
    expect((await b.getAccessToken()).accessToken).toBe(fresh.access_token);
  });

  it('serves a valid token while the store is down, and refuses to refresh without it', async () => {
    await importCredentials({ expiresInSeconds: 3600 });
    const a = replica('a');
    const token = await a.getAccessToken();
    store.get = async () => {
      throw new Error('Redis at redis://127.0.0.1:6379/0 is unavailable');
    };
    expect((await a.getAccessToken()).accessToken).toBe(token.accessToken);
    await expect(a.invalidate(token, 'unauthorized')).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining('cluster state store is unavailable'),
    });
    expect(fake.counters.refreshCalls).toBe(0);
    expect(a.status().state).toBe('ok');
  });
});
