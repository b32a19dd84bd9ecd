import { faults } from '@qwen-relay/fake-qwen';
import { describe, expect, it } from 'vitest';
import type { UpstreamAccount } from '../src/plans/account-profile';
import { resolveAccountEndpoints } from '../src/plans/resolve-account-endpoints';
import { createFakeTokenSource } from './helpers/create-fake-token-source';
import { useFakeHarness } from './helpers/setup-fake';

const anthropicPayload = (stream: boolean) => ({
  model: 'qwen3-coder-plus',
  max_tokens: 128,
  messages: [{ role: 'user', content: 'hi' }],
  stream,
});
const chatPayload = (stream: boolean) => ({
  model: 'qwen3-coder-plus',
  max_tokens: 128,
  messages: [{ role: 'user', content: 'hi' }],
  stream,
  ...(stream ? { stream_options: { include_usage: true } } : {}),
});

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const bytes of body) text += decoder.decode(bytes, { stream: true });
  return text + decoder.decode();
}

describe('anthropicMessages: native where the host serves Anthropic, translated elsewhere', () => {
  const harness = useFakeHarness();

  function standardAccount(fake: Awaited<ReturnType<typeof harness.startFake>>): UpstreamAccount {
    const token = {
      accessToken: fake.issuePlanKey({ type: 'standard' }),
      authType: 'api-key' as const,
    };
    return {
      accountId: 'std',
      getAccessToken: async () => token,
      invalidate: async (failed) => failed,
      profile: {
        type: 'standard',
        endpoints: resolveAccountEndpoints({
          type: 'standard',
          baseUrl: fake.planBaseUrl('dashscope-intl'),
        }),
      },
    };
  }

  it('sends the Anthropic body to <host>/apps/anthropic/v1/messages with anthropic-version, JSON and SSE', async () => {
    const fake = await harness.startFake({});
    const client = harness.createClient({ accounts: [standardAccount(fake)] });
    const json = await client.anthropicMessages({
      payload: anthropicPayload(false),
      chatPayload: chatPayload(false),
    });
    expect(json.protocol).toBe('anthropic');
    expect(json.kind === 'json' && json.body).toMatchObject({
      type: 'message',
      stop_reason: 'end_turn',
    });
    const request = fake.lastRequest('/plans/dashscope-intl/apps/anthropic/v1/messages');
    expect(request?.headers['anthropic-version']).toBe('2023-06-01');
    expect(request?.body).toEqual(anthropicPayload(false));

    const stream = await client.anthropicMessages({
      payload: anthropicPayload(true),
      chatPayload: chatPayload(true),
    });
    if (stream.kind !== 'stream') throw new Error('expected a stream');
    const text = await readAll(stream.body);
    expect(text.startsWith('event: message_start\n')).toBe(true);
    expect(text.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
    expect(fake.counters.chatCalls).toBe(0);
  });

  it('retries a native 429 like any other call, honouring Retry-After', async () => {
    const fake = await harness.startFake({});
    const client = harness.createClient({ accounts: [standardAccount(fake)] });
    fake.inject(faults.rateLimited({ endpoint: 'anthropic', retryAfterInSeconds: 0 }));
    const result = await client.anthropicMessages({
      payload: anthropicPayload(false),
      chatPayload: chatPayload(false),
    });
    expect(result.attempts.map((attempt) => attempt.status)).toEqual([429, 200]);
    expect(fake.counters.anthropicCalls).toBe(2);
  });

  it('translates for OAuth accounts and when asked to (translateOnly)', async () => {
    const fake = await harness.startFake({});
    const oauth = harness.createClient({ accounts: [createFakeTokenSource({ fake })] });
    const viaOAuth = await oauth.anthropicMessages({
      payload: anthropicPayload(false),
      chatPayload: chatPayload(false),
    });
    expect(viaOAuth.protocol).toBe('chat');
    expect(viaOAuth.kind === 'json' && viaOAuth.body).toMatchObject({ object: 'chat.completion' });

    const standard = harness.createClient({ accounts: [standardAccount(fake)] });
    const translated = await standard.anthropicMessages({
      payload: anthropicPayload(false),
      chatPayload: chatPayload(false),
      translateOnly: true,
    });
    expect(translated.protocol).toBe('chat');
    expect(fake.lastRequest()?.path).toBe(
      '/plans/dashscope-intl/compatible-mode/v1/chat/completions',
    );
    expect(fake.counters.anthropicCalls).toBe(0);
  });
});
