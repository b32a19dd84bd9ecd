import { afterEach, describe, expect, it } from 'vitest';
import { startFakeQwen } from '../src/server/start-fake-qwen';
import { waitFor } from '../src/testing';
import type { FakeQwen } from '../src/types';
import { chatBody, postChat } from './helpers';

let fake: FakeQwen | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('counters and request log', () => {
  it('records requests (headers, parsed body, bearer) and finds the last one per path', async () => {
    fake = await startFakeQwen();
    const { access_token } = fake.issueCredentials();
    await postChat(fake, { token: access_token, body: chatBody({ stream: false, seed: 1 }) });
    await fetch(`${fake.url}/nowhere`);
    const chat = fake.lastRequest('/v1/chat/completions');
    expect(chat).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      bearer: access_token,
      body: { seed: 1 },
    });
    expect(chat!.headers['content-type']).toBe('application/json');
    expect(fake.lastRequest()!.path).toBe('/nowhere');
    expect(fake.requests).toHaveLength(2);
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    expect(fake.counters.chatCalls).toBe(0);
    // tokens stay valid across reset()
    expect((await postChat(fake, { token: access_token, body: chatBody() })).status).toBe(200);
  });

  it('counts a client abort mid-stream as a stream abort and tracks max concurrency', async () => {
    fake = await startFakeQwen({ stream: { chunkCount: 1000, chunkDelayInMs: 20 } });
    const { access_token } = fake.issueCredentials();
    const controller = new AbortController();
    const response = await postChat(fake, {
      token: access_token,
      body: chatBody({ stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    const second = postChat(fake, { token: access_token, body: chatBody() });
    await second;
    expect(fake.counters.maxConcurrentRequests).toBe(2);
    controller.abort();
    await waitFor(() => fake!.counters.streamsAbortedByClient === 1);
    expect(fake.counters.requestsAbortedByClient).toBe(1);
    await waitFor(() => fake!.counters.currentConcurrentRequests === 0);
  });

  it('close() ends hanging and streaming responses so nothing stays open', async () => {
    fake = await startFakeQwen({ stream: { chunkCount: 1000, chunkDelayInMs: 50 } });
    const { access_token } = fake.issueCredentials();
    const response = await postChat(fake, {
      token: access_token,
      body: chatBody({ stream: true }),
    });
    const reading = response.text().catch((error: unknown) => error);
    await fake.close();
    expect(await reading).toBeInstanceOf(Error);
    fake = undefined;
  });
});
