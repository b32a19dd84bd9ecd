import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { faults } from '../src/faults/faults';
import { startFakeQwen } from '../src/server/start-fake-qwen';
import type { FakeQwen } from '../src/types';

const messagesBody = (extra: Record<string, unknown> = {}) => ({
  model: 'qwen3-coder-plus',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

function parseEvents(text: string): Array<{ event: string; data: Record<string, unknown> }> {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [eventLine = '', dataLine = ''] = block.split('\n');
      return { event: eventLine.slice(7), data: JSON.parse(dataLine.slice(6)) };
    });
}

describe('native Anthropic endpoint on plan hosts (…/apps/anthropic/v1/messages)', () => {
  let fake: FakeQwen;
  let key: string;
  let url: string;
  beforeEach(async () => {
    fake = await startFakeQwen({ stream: { chunkCount: 3 } });
    key = fake.issuePlanKey({ type: 'standard' });
    url = `${fake.url}/plans/dashscope-intl/apps/anthropic/v1/messages`;
  });
  afterEach(async () => {
    await fake.close();
  });

  const post = (body: unknown, headers: Record<string, string> = { 'x-api-key': key }) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
        ...headers,
      },
      body: JSON.stringify(body),
    });

  it('answers a message (x-api-key or Bearer) in Anthropic shape', async () => {
    const response = await post(messagesBody());
    expect(response.status).toBe(200);
    const message = (await response.json()) as Record<string, unknown>;
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'qwen3-coder-plus',
      content: [{ type: 'text', text: expect.any(String) }],
      stop_reason: 'end_turn',
      usage: { input_tokens: expect.any(Number), output_tokens: 3, cache_creation_input_tokens: 0 },
    });
    const bearer = await post(messagesBody(), { authorization: `Bearer ${key}` });
    expect(bearer.status).toBe(200);
    expect(fake.counters.anthropicCalls).toBe(2);
    expect(fake.counters.chatCalls).toBe(0);
  });

  it('streams thinking (with a signature) and tool use', async () => {
    const response = await post(
      messagesBody({
        stream: true,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        tools: [
          {
            name: 'Read',
            input_schema: { type: 'object', properties: { file_path: { type: 'string' } } },
          },
        ],
      }),
    );
    const events = parseEvents(await response.text());
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
    const deltas = events.filter((event) => event.event === 'content_block_delta');
    expect(
      deltas.some((event) => (event.data.delta as { type: string }).type === 'signature_delta'),
    ).toBe(true);
    const json = deltas
      .filter((event) => (event.data.delta as { type: string }).type === 'input_json_delta')
      .map((event) => (event.data.delta as { partial_json: string }).partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ file_path: 'example' });
    expect(events.find((event) => event.event === 'message_delta')?.data.delta).toEqual({
      stop_reason: 'tool_use',
      stop_sequence: null,
    });
  });

  it('answers errors in Anthropic envelopes: validation, wrong key, 429 with retry-after, mid-stream', async () => {
    const missing = await post({
      model: 'qwen3-coder-plus',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
    const wrongKey = await post(messagesBody(), { 'x-api-key': 'sk-wrong' });
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });

    fake.inject(faults.rateLimited({ endpoint: 'anthropic', retryAfterInSeconds: 3 }));
    const limited = await post(messagesBody());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });

    fake.inject(faults.midStreamError(2, { endpoint: 'anthropic', stream: true }));
    const failed = parseEvents(await (await post(messagesBody({ stream: true }))).text());
    expect(failed.at(-1)).toMatchObject({
      event: 'error',
      data: { type: 'error', error: { type: 'overloaded_error' } },
    });
  });

  it('exists only on plan hosts', async () => {
    const response = await fetch(`${fake.url}/apps/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify(messagesBody()),
    });
    expect(response.status).toBe(404);
  });
});
