import { faults } from '@qwen-relay/fake-qwen';
import { APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePrometheusText, sumSamples } from './support/parse-prometheus-text';
import {
  startTestEnvironment,
  type TestEnvironment,
  waitFor,
} from './support/start-test-environment';

const MESSAGES = [{ role: 'user' as const, content: 'tell me something' }];

async function readMetric(
  environment: TestEnvironment,
  name: string,
  labels: Record<string, string>,
) {
  const text = await (await fetch(`${environment.proxy.url}/metrics`)).text();
  return sumSamples(parsePrometheusText(text).samples, name, labels);
}

async function collectStream(environment: TestEnvironment): Promise<string> {
  const stream = await environment.openai.chat.completions.create({
    model: 'coder-model',
    messages: MESSAGES,
    stream: true,
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

describe('upstream failures as the client sees them', () => {
  let environment: TestEnvironment | undefined;
  afterEach(async () => {
    await environment?.close();
    environment = undefined;
  });

  it('retries a 504 before the first byte (JSON) and reports 504 once retries are exhausted', async () => {
    environment = await startTestEnvironment({ env: { MAX_RETRIES: '2' } });
    environment.fake.inject(faults.streamTimeout504({ stream: false, times: 1 }));
    const completion = await environment.openai.chat.completions.create({
      model: 'coder-model',
      messages: MESSAGES,
    });
    expect(completion.choices).toHaveLength(1);
    expect(environment.fake.counters.chatCalls).toBe(2);

    environment.fake.inject(
      faults.streamTimeout504({ stream: false, times: Number.POSITIVE_INFINITY }),
    );
    const failure = await environment.openai.chat.completions
      .create({ model: 'coder-model', messages: MESSAGES })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(APIError);
    expect(failure).toMatchObject({ status: 504, type: 'upstream_error' });
  });

  it('falls back to a non-streaming call on a streaming 504 and re-emits it as SSE', async () => {
    environment = await startTestEnvironment();
    environment.fake.inject(
      faults.streamTimeout504({ stream: true, times: Number.POSITIVE_INFINITY }),
    );
    const text = await collectStream(environment);
    expect(text.length).toBeGreaterThan(0);
    const chatBodies = environment.fake.requests
      .filter((request) => request.path === '/v1/chat/completions')
      .map((request) => (request.body as { stream?: boolean }).stream);
    expect(chatBodies.at(-1)).toBe(false);
    expect(environment.logEntries().some((entry) => entry.event === 'stream-fallback')).toBe(true);
  });

  it('reports a streaming 504 before the first byte as a 504 status when fallback is off', async () => {
    environment = await startTestEnvironment({
      env: { STREAM_FALLBACK: 'false', MAX_RETRIES: '1' },
    });
    environment.fake.inject(
      faults.streamTimeout504({ stream: true, times: Number.POSITIVE_INFINITY }),
    );
    await expect(collectStream(environment)).rejects.toMatchObject({ status: 504 });
  });

  it('honours Retry-After on a 429 and succeeds on the retry', async () => {
    environment = await startTestEnvironment();
    environment.fake.inject(faults.rateLimited({ retryAfterInSeconds: 1, times: 1 }));
    const completion = await environment.openai.chat.completions.create({
      model: 'coder-model',
      messages: MESSAGES,
    });
    expect(completion.choices).toHaveLength(1);
    const arrivals = environment.fake.requests
      .filter((request) => request.path === '/v1/chat/completions')
      .map((request) => request.receivedAtInMs);
    expect(arrivals).toHaveLength(2);
    // the retry waited for the upstream's Retry-After (a lower bound, never a performance check)
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('passes 429 and Retry-After through once retries are exhausted, never a 500', async () => {
    environment = await startTestEnvironment({ env: { MAX_RETRIES: '0' } });
    environment.fake.inject(
      faults.rateLimited({ retryAfterInSeconds: 7, times: Number.POSITIVE_INFINITY }),
    );
    const failure = (await environment.openai.chat.completions
      .create({ model: 'coder-model', messages: MESSAGES })
      .catch((error: unknown) => error)) as APIError;
    expect(failure).toBeInstanceOf(APIError);
    expect(failure.status).toBe(429);
    expect(failure.type).toBe('rate_limit_error');
    expect(Number(failure.headers?.get('retry-after'))).toBeGreaterThan(0);
  });

  it('reports quota exhaustion as insufficient_quota with Retry-After from QUOTA_COOLDOWN_MS, and health degraded while the only account rests', async () => {
    environment = await startTestEnvironment({
      env: { MAX_RETRIES: '0', QUOTA_COOLDOWN_MS: '30000' },
    });
    const current = environment;
    current.fake.inject(faults.insufficientQuota({ times: 1 }));
    const create = async (): Promise<APIError> => {
      const outcome = await current.openai.chat.completions
        .create({ model: 'coder-model', messages: MESSAGES })
        .catch((error: unknown) => error);
      if (!(outcome instanceof APIError)) throw new Error('expected the call to fail');
      return outcome;
    };

    const quota = await create();
    expect(quota).toMatchObject({ status: 429, type: 'insufficient_quota' });
    const quotaRetryAfter = Number(quota.headers?.get('retry-after'));
    expect(quotaRetryAfter).toBeGreaterThanOrEqual(29);
    expect(quotaRetryAfter).toBeLessThanOrEqual(30);

    const health = (await (await fetch(`${current.proxy.url}/health`)).json()) as {
      status: string;
      accounts: Array<{ state: string; coolingDownUntil?: string; cooldownReason?: string }>;
    };
    expect(health.status).toBe('degraded');
    expect(health.accounts[0]).toMatchObject({ state: 'ok', cooldownReason: 'tokens-per-minute' });
    expect(Date.parse(health.accounts[0]?.coolingDownUntil ?? '')).toBeGreaterThan(Date.now());

    // while it rests, calls are answered at once without reaching upstream, with the wait left
    const resting = await create();
    expect(resting).toMatchObject({ status: 429 });
    const restingRetryAfter = Number(resting.headers?.get('retry-after'));
    expect(restingRetryAfter).toBeGreaterThan(0);
    expect(restingRetryAfter).toBeLessThanOrEqual(30);
    expect(current.fake.counters.chatCalls).toBe(1);
  });

  it('passes an upstream 400 message through', async () => {
    environment = await startTestEnvironment();
    environment.fake.inject(faults.badRequest('Range of max_tokens should be [1, 65536]'));
    await expect(
      environment.openai.chat.completions.create({ model: 'coder-model', messages: MESSAGES }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('Range of max_tokens'),
    });
  });

  it('makes the client stream raise when the upstream drops mid-stream, and counts it truncated', async () => {
    environment = await startTestEnvironment();
    environment.fake.inject(faults.midStreamDrop(3, { stream: true }));
    let received = '';
    const failure = await (async () => {
      const stream = await (environment as TestEnvironment).openai.chat.completions.create({
        model: 'coder-model',
        messages: MESSAGES,
        stream: true,
      });
      for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? '';
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(received.length).toBeGreaterThan(0);
    expect(
      await readMetric(environment, 'qwen_relay_streams_total', { end_state: 'truncated' }),
    ).toBe(1);
  });

  it('makes the client stream raise on an upstream error event, and counts it upstream-error', async () => {
    environment = await startTestEnvironment();
    environment.fake.inject(faults.midStreamError(2, { stream: true }));
    await expect(collectStream(environment)).rejects.toBeInstanceOf(Error);
    expect(
      await readMetric(environment, 'qwen_relay_streams_total', { end_state: 'upstream-error' }),
    ).toBe(1);
  });

  it('cancels the upstream stream when the client disconnects', async () => {
    environment = await startTestEnvironment({
      fakeOptions: { stream: { chunkCount: 200, chunkDelayInMs: 20 } },
    });
    const abortController = new AbortController();
    const stream = await environment.openai.chat.completions.create(
      { model: 'coder-model', messages: MESSAGES, stream: true },
      { signal: abortController.signal },
    );
    const consumed = (async () => {
      for await (const _chunk of stream) abortController.abort();
    })().catch(() => undefined);
    await consumed;
    await waitFor(() => environment?.fake.counters.streamsAbortedByClient === 1, {
      message: 'upstream stream cancelled',
    });
    await waitFor(
      async () =>
        (await readMetric(environment as TestEnvironment, 'qwen_relay_streams_total', {
          end_state: 'client-aborted',
        })) === 1,
      {
        message: 'client-aborted counted',
      },
    );
    expect(await readMetric(environment, 'qwen_relay_streams_in_flight', {})).toBe(0);
  });

  it('cancels the upstream request when a non-streaming client disconnects', async () => {
    environment = await startTestEnvironment();
    environment.fake.inject(faults.delayHeaders(10_000, { stream: false }));
    const abortController = new AbortController();
    const pending = environment.openai.chat.completions
      .create({ model: 'coder-model', messages: MESSAGES }, { signal: abortController.signal })
      .catch((error: unknown) => error);
    await waitFor(() => environment?.fake.counters.chatCalls === 1, {
      message: 'request upstream',
    });
    abortController.abort();
    await pending;
    await waitFor(() => environment?.fake.counters.requestsAbortedByClient === 1, {
      message: 'upstream request cancelled',
    });
  });
});
