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

  it("sends the client's own text for a payload going out unchanged, and serialises one it renames", async () => {
    const fake = await harness.startFake({});
    const payload = anthropicPayload(false);
    // text that parses to more than the payload, so the fake shows which of the two was sent
    const sourceText = { payload, text: JSON.stringify({ ...payload, sent_as_text: true }) };
    const client = harness.createClient({ accounts: [standardAccount(fake)] });
    await client.anthropicMessages({ payload, chatPayload: chatPayload(false), sourceText });
    const nativePath = '/plans/dashscope-intl/apps/anthropic/v1/messages';
    expect(fake.lastRequest(nativePath)?.body).toEqual({ ...payload, sent_as_text: true });

    // another object than the one the text belongs to: serialised
    await client.anthropicMessages({
      payload: anthropicPayload(false),
      chatPayload: chatPayload(false),
      sourceText,
    });
    expect(fake.lastRequest(nativePath)?.body).toEqual(payload);

    // an account that renames the model: serialised under the new name
    const renaming = standardAccount(fake);
    const profile = { ...renaming.profile, modelAliases: { 'qwen3-coder-plus': 'qwen3.5-plus' } };
    const aliased = harness.createClient({
      accounts: [{ ...renaming, profile } as UpstreamAccount],
    });
    await aliased.anthropicMessages({ payload, chatPayload: chatPayload(false), sourceText });
    expect(fake.lastRequest(nativePath)?.body).toEqual({ ...payload, model: 'qwen3.5-plus' });
  });

  it('makes a chat payload given as a function once, and only for an attempt that translates', async () => {
    const fake = await harness.startFake({});
    let made = 0;
    const makeChatPayload = () => {
      made += 1;
      return chatPayload(false);
    };
    const native = harness.createClient({ accounts: [standardAccount(fake)] });
    await native.anthropicMessages({
      payload: anthropicPayload(false),
      chatPayload: makeChatPayload,
    });
    expect(made).toBe(0);

    const oauth = harness.createClient({ accounts: [createFakeTokenSource({ fake })] });
    fake.inject(faults.rateLimited({ endpoint: 'chat', retryAfterInSeconds: 0 }));
    const result = await oauth.anthropicMessages({
      payload: anthropicPayload(false),
      chatPayload: makeChatPayload,
    });
    expect(result.protocol).toBe('chat');
    expect(result.attempts.map((attempt) => attempt.status)).toEqual([429, 200]);
    expect(made).toBe(1);
    expect(fake.lastRequest()?.body).toEqual(chatPayload(false));
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
