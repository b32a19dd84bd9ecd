import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FakeQwen } from '@qwen-relay/fake-qwen';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from './support/start-test-environment';

const NATIVE_PATH = '/plans/dashscope-intl/compatible-mode/v1/responses';

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'The weather in a city.',
  strict: false,
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};

/** An accounts file with one standard (pay-as-you-go) key on the fake's DashScope host. */
function withStandardAccount() {
  let env: Record<string, string> = {};
  return {
    prepareQwenDir: async ({ fake, qwenDir }: { fake: FakeQwen; qwenDir: string }) => {
      const path = join(qwenDir, 'accounts.json');
      const accounts = [
        {
          id: 'standard-1',
          type: 'standard',
          apiKey: fake.issuePlanKey({ type: 'standard' }),
          baseUrl: fake.planBaseUrl('dashscope-intl'),
        },
      ];
      await writeFile(path, JSON.stringify({ accounts }), { mode: 0o600 });
      env = { QWEN_RELAY_ACCOUNTS: path };
    },
    configureEnv: () => env,
  };
}

type ChatBody = { messages: Array<Record<string, unknown>> };

describe('/v1/responses with store: true and previous_response_id (official openai client)', () => {
  let environment: TestEnvironment | undefined;
  afterEach(async () => {
    await environment?.close();
    environment = undefined;
  });

  it('translation: a tool round trip continued by id, JSON then stream; retrieve and delete', async () => {
    environment = await startTestEnvironment({});
    const { openai, fake, qwenDir } = environment;
    const first = await openai.responses.create({
      model: 'qwen3-coder-plus',
      instructions: 'Use the tools.',
      input: 'Weather in Paris?',
      tools: [weatherTool],
      store: true,
    });
    expect(first).toMatchObject({ store: true, previous_response_id: null });
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('no function call');

    // the next turn sends only the tool's output: the proxy brings the rest of the conversation
    const second = await openai.responses.create({
      model: 'qwen3-coder-plus',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny, 21 °C' }],
      tools: [weatherTool],
      store: true,
    });
    expect(second).toMatchObject({ store: true, previous_response_id: first.id });
    expect(second.output_text).toContain('Hello from the fake Qwen upstream.');
    const upstream = fake.lastRequest('/v1/chat/completions')?.body as ChatBody;
    // instructions are not carried over (as in the OpenAI API): this turn sent none
    expect(upstream.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    expect(upstream.messages[0]).toEqual({ role: 'user', content: 'Weather in Paris?' });
    expect(upstream.messages[1]).toMatchObject({
      tool_calls: [{ id: call.call_id, function: { name: 'get_weather' } }],
    });
    expect(upstream.messages[2]).toEqual({
      role: 'tool',
      tool_call_id: call.call_id,
      content: 'sunny, 21 °C',
    });

    // a streamed turn is kept too, before its stream ends
    const third = await openai.responses
      .stream({
        model: 'qwen3-coder-plus',
        previous_response_id: second.id,
        input: 'Thanks! And tomorrow?',
        store: true,
      })
      .finalResponse();
    expect(third.previous_response_id).toBe(second.id);
    const fourth = await openai.responses.create({
      model: 'qwen3-coder-plus',
      previous_response_id: third.id,
      input: 'Bye',
    });
    // not asked to be stored: answered, echoed, not kept
    expect(fourth).toMatchObject({ store: false, previous_response_id: third.id });
    const last = fake.lastRequest('/v1/chat/completions')?.body as ChatBody;
    expect(last.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
      'user',
      'assistant',
      'user',
    ]);
    expect(last.messages[4]).toEqual({ role: 'user', content: 'Thanks! And tomorrow?' });
    expect(last.messages[6]).toEqual({ role: 'user', content: 'Bye' });

    const retrieved = await openai.responses.retrieve(second.id);
    expect(retrieved).toMatchObject({ id: second.id, store: true, output: second.output });
    await expect(openai.responses.retrieve(fourth.id)).rejects.toMatchObject({ status: 404 });
    await openai.responses.delete(second.id);
    await expect(openai.responses.retrieve(second.id)).rejects.toMatchObject({
      status: 404,
      type: 'invalid_request_error',
    });
    // the embedded store keeps responses in a file store of their own, beside the quota state
    expect(await readdir(join(qwenDir, 'state', 'responses'))).toContain('state.json');
  });

  it('a streamed response transformed in SSE workers is kept the same way', async () => {
    environment = await startTestEnvironment({ env: { SSE_WORKERS: '1' } });
    const { openai, fake } = environment;
    const first = await openai.responses
      .stream({ model: 'qwen3-coder-plus', input: 'Say hello', store: true })
      .finalResponse();
    const retrieved = await openai.responses.retrieve(first.id);
    expect(retrieved).toMatchObject({ id: first.id, store: true, status: 'completed' });
    expect(retrieved.output_text).toBe(first.output_text);
    await openai.responses.create({
      model: 'qwen3-coder-plus',
      previous_response_id: first.id,
      input: 'Again',
    });
    const upstream = fake.lastRequest('/v1/chat/completions')?.body as ChatBody;
    expect(upstream.messages).toEqual([
      { role: 'user', content: 'Say hello' },
      { role: 'assistant', content: first.output_text },
      { role: 'user', content: 'Again' },
    ]);
  });

  it('an unknown or deleted id is a 400 naming previous_response_id; nothing goes upstream', async () => {
    environment = await startTestEnvironment({});
    const { openai, fake } = environment;
    const before = fake.requests.length;
    const error = await openai.responses
      .create({ model: 'qwen3-coder-plus', previous_response_id: 'resp_unknown', input: 'x' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      param: 'previous_response_id',
    });
    expect((error as Error).message).toContain('resp_unknown');
    expect(fake.requests.length).toBe(before);
  });

  it('passthrough: the native host gets the whole conversation and store: false, never our id', async () => {
    environment = await startTestEnvironment({
      credentials: 'none',
      ...withStandardAccount(),
    });
    const { openai, fake } = environment;
    const first = await openai.responses.create({
      model: 'qwen3.5-plus',
      input: 'Say hello',
      store: true,
    });
    expect(first).toMatchObject({ id: expect.stringMatching(/^resp_native_/), store: true });
    const second = await openai.responses
      .stream({
        model: 'qwen3.5-plus',
        previous_response_id: first.id,
        input: 'Again',
        store: true,
      })
      .finalResponse();
    const native = fake.lastRequest(NATIVE_PATH)?.body as Record<string, unknown>;
    expect(native).not.toHaveProperty('previous_response_id');
    expect(native.store).toBe(false);
    expect(native.input).toEqual([
      { type: 'message', role: 'user', content: 'Say hello' },
      ...first.output,
      { type: 'message', role: 'user', content: 'Again' },
    ]);
    // the streamed native response was kept under the host's id, and continues like any other
    expect(await openai.responses.retrieve(second.id)).toMatchObject({
      id: second.id,
      store: true,
      previous_response_id: first.id,
    });
    const third = await openai.responses.create({
      model: 'qwen3.5-plus',
      previous_response_id: second.id,
      input: 'Once more',
    });
    expect(third.previous_response_id).toBe(second.id);
    const lastNative = fake.lastRequest(NATIVE_PATH)?.body as { input?: unknown[] } | undefined;
    expect(lastNative?.input).toHaveLength(5);
  });

  it('RESPONSES_STORE_TTL_MS=0: store: true and previous_response_id are refused by name', async () => {
    environment = await startTestEnvironment({ env: { RESPONSES_STORE_TTL_MS: '0' } });
    const { openai } = environment;
    for (const [extra, param] of [
      [{ store: true }, 'store'],
      [{ previous_response_id: 'resp_123' }, 'previous_response_id'],
    ] as const) {
      const error = await openai.responses
        .create({ model: 'qwen3-coder-plus', input: 'x', ...extra })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ status: 400, param, type: 'invalid_request_error' });
      expect((error as Error).message).toContain(param);
    }
    await expect(openai.responses.retrieve('resp_123')).rejects.toMatchObject({ status: 404 });
  });
});
