import { faults } from '@qwen-relay/fake-qwen';
import { describe, expect, it } from 'vitest';
import { UpstreamAuthError } from '../src/errors/upstream-errors';
import { createFakeTokenSource } from './helpers/create-fake-token-source';
import { chatPayload, createRecordingSleep, useFakeHarness } from './helpers/setup-fake';

describe('refresh-on-auth-error (loopback against fake-qwen)', () => {
  const harness = useFakeHarness();

  it('server-side invalidated token → one refresh → success', async () => {
    const fake = await harness.startFake();
    const tokens = createFakeTokenSource({ fake });
    fake.invalidateAccessToken(tokens.current.accessToken);
    const client = harness.createClient({ accounts: [tokens] });

    const result = await client.chatCompletion({ payload: chatPayload() });

    expect(result).toMatchObject({ kind: 'json', status: 200, accountId: 'default' });
    expect(fake.counters.refreshCalls).toBe(1);
    expect(fake.counters.chatCalls).toBe(2);
    expect(fake.counters.unauthorizedSent).toBe(1);
    expect(tokens.invalidations).toEqual([{ reason: 'unauthorized', wasCurrent: true }]);
    expect(harness.events.map((event) => event.type)).toContain('auth-retry-succeeded');
  });

  it('auth error twice → typed failure after exactly one refresh', async () => {
    const fake = await harness.startFake();
    const tokens = createFakeTokenSource({ fake });
    fake.inject(faults.unauthorized({ times: 2 }));
    const client = harness.createClient({ accounts: [tokens] });

    const failure = await client
      .chatCompletion({ payload: chatPayload() })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UpstreamAuthError);
    expect(failure).toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_AUTH_FAILED',
      status: 401,
      upstreamStatus: 401,
      upstreamCode: 'invalid_api_key',
    });
    expect(fake.counters.refreshCalls).toBe(1);
    expect(fake.counters.chatCalls).toBe(2);
    const attempts = (failure as UpstreamAuthError).attempts;
    expect(attempts.map((attempt) => [attempt.status, attempt.outcome])).toEqual([
      [401, 'auth'],
      [401, 'final'],
    ]);
    expect(JSON.stringify(attempts)).not.toContain(tokens.current.accessToken);
    expect(harness.events.map((event) => event.type)).toContain('auth-retry-failed');
  });

  it('403 is refreshed as "forbidden" once', async () => {
    const fake = await harness.startFake();
    const tokens = createFakeTokenSource({ fake });
    fake.inject(faults.forbidden());
    const client = harness.createClient({ accounts: [tokens] });

    await expect(client.chatCompletion({ payload: chatPayload() })).resolves.toMatchObject({
      status: 200,
    });
    expect(tokens.invalidations).toEqual([{ reason: 'forbidden', wasCurrent: true }]);
    expect(fake.counters.refreshCalls).toBe(1);
  });

  it('40 concurrent requests on a server-side invalidated token → one refresh, all succeed', async () => {
    const fake = await harness.startFake();
    const tokens = createFakeTokenSource({ fake });
    const client = harness.createClient({ accounts: [tokens] });
    // warm up so every request starts with the same (soon dead) token
    await client.chatCompletion({ payload: chatPayload() });
    fake.invalidateAccessToken(tokens.current.accessToken);
    fake.reset();

    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        client.chatCompletion({ payload: chatPayload(), requestId: `storm-${index}` }),
      ),
    );

    expect(results.every((result) => result.kind === 'json' && result.status === 200)).toBe(true);
    expect(fake.counters.refreshCalls).toBe(1);
    expect(tokens.refreshes).toBe(1);
    expect(fake.counters.unauthorizedSent).toBe(40);
    expect(fake.counters.chatCalls).toBe(80);
    expect(fake.tokensSeen.size).toBe(2);
  });

  it('504 stream timeout is first treated as a suspected expiry, then retried', async () => {
    const fake = await harness.startFake();
    const tokens = createFakeTokenSource({ fake, minimumTokenAgeForSuspicionInMs: 0 });
    fake.inject(faults.streamTimeout504());
    const recording = createRecordingSleep();
    const client = harness.createClient({ accounts: [tokens], retry: { sleep: recording.sleep } });

    const result = await client.chatCompletion({ payload: chatPayload() });

    expect(result.status).toBe(200);
    expect(tokens.invalidations).toEqual([{ reason: 'suspected-expiry', wasCurrent: true }]);
    expect(fake.counters.refreshCalls).toBe(1);
    expect(result.attempts.map((attempt) => [attempt.status, attempt.outcome])).toEqual([
      [504, 'suspected-expiry'],
      [200, 'success'],
    ]);
    expect(recording.delays).toHaveLength(1);
    expect(harness.events).toContainEqual(
      expect.objectContaining({ type: 'auth-error-detected', status: 504 }),
    );
    expect(harness.events).toContainEqual(
      expect.objectContaining({ type: 'auth-retry', refreshed: true }),
    );
    expect(harness.events.map((event) => event.type)).toContain('auth-retry-succeeded');
  });
});
