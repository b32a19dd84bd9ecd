import { faults } from '@qwen-relay/fake-qwen';
import { describe, expect, it } from 'vitest';
import { AbortedError } from '../src/errors/upstream-errors';
import { createFakeTokenSource } from './helpers/create-fake-token-source';
import { chatPayload, useFakeHarness } from './helpers/setup-fake';

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe('streams and aborts (loopback against fake-qwen)', () => {
  const harness = useFakeHarness();

  it('streams SSE bytes and reports a completed end', async () => {
    const fake = await harness.startFake({ stream: { chunkCount: 4 } });
    const client = harness.createClient({ accounts: [createFakeTokenSource({ fake })] });

    const result = await client.chatCompletion({
      payload: chatPayload({ stream: true, stream_options: { include_usage: true } }),
    });

    expect(result).toMatchObject({ kind: 'stream', status: 200 });
    if (result.kind !== 'stream') return;
    expect(result.headers['content-type']).toContain('text/event-stream');
    const text = await readAll(result.body);
    expect(text).toContain('"object":"chat.completion.chunk"');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    await expect(result.ended).resolves.toEqual({ state: 'completed' });
    expect(() => result.body[Symbol.asyncIterator]()).toThrow(TypeError);
  });

  it('mid-stream drop → ended reports dropped', async () => {
    const fake = await harness.startFake({ stream: { chunkCount: 8 } });
    fake.inject(faults.midStreamDrop(2));
    const client = harness.createClient({ accounts: [createFakeTokenSource({ fake })] });

    const result = await client.chatCompletion({ payload: chatPayload({ stream: true }) });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    const text = await readAll(result.body);
    const end = await result.ended;

    expect(text).not.toContain('[DONE]');
    expect(end.state).toBe('dropped');
    expect(end.error).toMatchObject({ code: 'QWEN_RELAY_UPSTREAM_CONNECTION_FAILED' });
    // nothing is retried once bytes were handed over
    expect(fake.counters.chatCalls).toBe(1);
  });

  it('client abort during streaming closes the upstream socket', async () => {
    const fake = await harness.startFake({ stream: { chunkCount: 200, chunkDelayInMs: 20 } });
    const client = harness.createClient({ accounts: [createFakeTokenSource({ fake })] });
    const controller = new AbortController();

    const result = await client.chatCompletion({
      payload: chatPayload({ stream: true }),
      signal: controller.signal,
    });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    const iterator = result.body[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();

    const end = await result.ended;
    expect(end.state).toBe('aborted');
    expect(end.error).toBeInstanceOf(AbortedError);
    await expect.poll(() => fake.counters.streamsAbortedByClient).toBe(1);
    await expect(iterator.next()).resolves.toMatchObject({ done: true });
  });

  it('a consumer that stops iterating early releases the upstream socket', async () => {
    const fake = await harness.startFake({ stream: { chunkCount: 200, chunkDelayInMs: 20 } });
    const client = harness.createClient({ accounts: [createFakeTokenSource({ fake })] });
    const result = await client.chatCompletion({ payload: chatPayload({ stream: true }) });
    if (result.kind !== 'stream') throw new Error('expected a stream');

    for await (const _chunk of result.body) break;

    await expect(result.ended).resolves.toMatchObject({ state: 'aborted' });
    await expect.poll(() => fake.counters.streamsAbortedByClient).toBe(1);
  });

  it('client abort during a backoff sleep → AbortedError at once, no further request', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.rateLimited({ retryAfterInSeconds: 30 }));
    const controller = new AbortController();
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      // real sleep: the point is that it gives way to the abort long before the 30 s pass
      onEvent: (event) => {
        if (event.type === 'retry') controller.abort();
      },
    });

    const failure = await client
      .chatCompletion({ payload: chatPayload(), signal: controller.signal })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AbortedError);
    expect(failure).toMatchObject({ code: 'QWEN_RELAY_ABORTED', retryable: false });
    expect((failure as AbortedError).attempts.map((attempt) => attempt.outcome)).toEqual([
      'rate-limit',
    ]);
    expect(fake.counters.chatCalls).toBe(1);
  });

  it('client abort while waiting for headers closes the upstream request', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.hang());
    const controller = new AbortController();
    const client = harness.createClient({ accounts: [createFakeTokenSource({ fake })] });

    const pending = client.chatCompletion({ payload: chatPayload(), signal: controller.signal });
    await expect.poll(() => fake.counters.chatCalls).toBe(1);
    controller.abort();

    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    await expect.poll(() => fake.counters.requestsAbortedByClient).toBe(1);
    expect(fake.counters.chatCalls).toBe(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const fake = await harness.startFake();
    const client = harness.createClient({ accounts: [createFakeTokenSource({ fake })] });
    await expect(
      client.chatCompletion({ payload: chatPayload(), signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(fake.counters.chatCalls).toBe(0);
  });

  it('stream fallback: 504 stream timeout before any byte → non-streaming retry', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.streamTimeout504({ stream: true }));
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      streamFallback: true,
    });

    const result = await client.chatCompletion({
      payload: chatPayload({ stream: true, stream_options: { include_usage: true } }),
    });

    expect(result).toMatchObject({ kind: 'json', status: 200, fallbackFromStream: true });
    expect(result.kind === 'json' && result.body).toMatchObject({ object: 'chat.completion' });
    const retried = fake.lastRequest('/v1/chat/completions');
    expect(retried?.body).toMatchObject({ stream: false });
    expect(retried?.body).not.toHaveProperty('stream_options');
    expect(retried?.headers.accept).toBe('application/json');
    expect(result.attempts.map((attempt) => [attempt.stream, attempt.outcome])).toEqual([
      [true, 'stream-fallback'],
      [false, 'success'],
    ]);
    expect(harness.events.map((event) => event.type)).toContain('stream-fallback');
  });

  it('without fallback a streaming 504 is retried as a stream', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.streamTimeout504({ stream: true }));
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      retry: { sleep: async () => {} },
    });
    const result = await client.chatCompletion({ payload: chatPayload({ stream: true }) });
    expect(result.kind).toBe('stream');
    if (result.kind === 'stream') await readAll(result.body);
    expect(fake.counters.chatCalls).toBe(2);
  });
});
