import { faults } from '@qwen-relay/fake-qwen';
import { describe, expect, it } from 'vitest';
import {
  UpstreamBadRequestError,
  UpstreamBadResponseError,
  UpstreamRateLimitedError,
  UpstreamServerError,
} from '../src/errors/upstream-errors';
import { createFakeTokenSource } from './helpers/create-fake-token-source';
import { chatPayload, createRecordingSleep, useFakeHarness } from './helpers/setup-fake';

describe('transient retries and final errors (loopback against fake-qwen)', () => {
  const harness = useFakeHarness();

  it('retries a 504 before the first byte and then succeeds', async () => {
    const fake = await harness.startFake();
    // the token is fresh, so the suspected-expiry check does not refresh it
    const tokens = createFakeTokenSource({ fake });
    fake.inject(faults.streamTimeout504({ times: 2 }));
    const recording = createRecordingSleep();
    const client = harness.createClient({
      accounts: [tokens],
      retry: { sleep: recording.sleep, jitter: 0, baseDelayInMs: 100 },
    });

    const result = await client.chatCompletion({ payload: chatPayload() });

    expect(result.status).toBe(200);
    expect(fake.counters.chatCalls).toBe(3);
    expect(fake.counters.refreshCalls).toBe(0);
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual([
      'suspected-expiry',
      'server-error',
      'success',
    ]);
    expect(recording.delays).toEqual([100, 200]);
    // the fresh token was not suspect: no "retrying with refreshed token" story is told
    expect(harness.events.map((event) => event.type)).not.toContain('auth-retry');
    expect(harness.events.map((event) => event.type)).not.toContain('auth-retry-succeeded');
  });

  it('waits at least Retry-After: 2 before retrying a 429', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.rateLimited({ retryAfterInSeconds: 2 }));
    const recording = createRecordingSleep();
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      retry: { sleep: recording.sleep },
    });

    const result = await client.chatCompletion({ payload: chatPayload() });

    expect(result.status).toBe(200);
    expect(recording.delays).toHaveLength(1);
    expect(recording.delays[0]).toBeGreaterThanOrEqual(2000);
    expect(harness.events).toContainEqual(
      expect.objectContaining({
        type: 'retry',
        reason: 'rate-limit',
        delayInMs: 2000,
        status: 429,
      }),
    );
  });

  it('really sleeps retry-after-ms between the two upstream requests (real timers)', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.rateLimited({ retryAfterMs: 150 }));
    const client = harness.createClient({ accounts: [createFakeTokenSource({ fake })] });

    await client.chatCompletion({ payload: chatPayload() });

    const chats = fake.requests.filter((request) => request.path === '/v1/chat/completions');
    expect(chats).toHaveLength(2);
    const gapInMs = (chats[1]?.receivedAtInMs ?? 0) - (chats[0]?.receivedAtInMs ?? 0);
    expect(gapInMs).toBeGreaterThanOrEqual(150);
  });

  it('surfaces a rate limit with its Retry-After once attempts run out', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.rateLimited({ retryAfterInSeconds: 7, times: 3 }));
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      retry: { maxAttempts: 3, sleep: createRecordingSleep().sleep },
    });

    const failure = await client
      .chatCompletion({ payload: chatPayload() })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UpstreamRateLimitedError);
    expect(failure).toMatchObject({ status: 429, retryAfterInMs: 7000 });
    expect(fake.counters.chatCalls).toBe(3);
  });

  it('retries 500/502/503 with backoff', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.serverError(500));
    fake.inject(faults.serverError(502));
    fake.inject(faults.serverError(503));
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      retry: { sleep: createRecordingSleep().sleep },
    });

    const result = await client.chatCompletion({ payload: chatPayload() });
    expect(result.attempts.map((attempt) => attempt.status)).toEqual([500, 502, 503, 200]);
  });

  it('gives up with a server error carrying the attempt history', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.serverError(503, { times: Number.POSITIVE_INFINITY }));
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      retry: { maxAttempts: 2, sleep: createRecordingSleep().sleep },
    });

    const failure = await client
      .chatCompletion({ payload: chatPayload() })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamServerError);
    expect(failure).toMatchObject({ status: 502, upstreamStatus: 503, retryable: true });
    expect((failure as UpstreamServerError).attempts).toHaveLength(2);
  });

  it('returns a 400 unchanged without retrying', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.badRequest('Range of max_tokens should be [1, 65536]'));
    const client = harness.createClient({ accounts: [createFakeTokenSource({ fake })] });

    const failure = await client
      .chatCompletion({ payload: chatPayload() })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UpstreamBadRequestError);
    expect(failure).toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_BAD_REQUEST',
      status: 400,
      upstreamStatus: 400,
      upstreamCode: 'invalid_parameter_error',
      message: 'Range of max_tokens should be [1, 65536]',
      retryable: false,
    });
    expect(fake.counters.chatCalls).toBe(1);
  });

  it('never retries content moderation', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.contentModeration());
    const client = harness.createClient({ accounts: [createFakeTokenSource({ fake })] });

    await expect(client.chatCompletion({ payload: chatPayload() })).rejects.toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_BAD_REQUEST',
      upstreamCode: 'data_inspection_failed',
    });
    expect(fake.counters.chatCalls).toBe(1);
  });

  it('retries a 200 HTML page once, then reports a bad response', async () => {
    const fake = await harness.startFake();
    fake.inject({ endpoint: 'chat', action: { type: 'waf' }, times: 2 });
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      retry: { sleep: createRecordingSleep().sleep },
    });

    const failure = await client
      .chatCompletion({ payload: chatPayload() })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamBadResponseError);
    expect(failure).toMatchObject({ status: 502, upstreamStatus: 200 });
    expect(fake.counters.chatCalls).toBe(2);
  });

  it('sends embeddings through the same path', async () => {
    const fake = await harness.startFake({ embeddings: true });
    const tokens = createFakeTokenSource({ fake });
    fake.invalidateAccessToken(tokens.current.accessToken);
    const client = harness.createClient({ accounts: [tokens] });

    const result = await client.embeddings({
      payload: { model: 'text-embedding-v4', input: ['a', 'b'] },
    });

    expect(result).toMatchObject({ kind: 'json', status: 200 });
    expect(fake.counters.embeddingsCalls).toBe(2);
    expect(fake.counters.refreshCalls).toBe(1);
    expect(fake.lastRequest('/v1/embeddings')?.headers['x-dashscope-authtype']).toBe('qwen-oauth');
  });
});
