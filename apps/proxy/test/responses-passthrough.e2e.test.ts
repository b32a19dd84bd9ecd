import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import { type FakeQwen, faults } from '@qwen-relay/fake-qwen';
import { generateText, jsonSchema, tool } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from './support/start-test-environment';

const NATIVE_PATH = '/plans/dashscope-intl/compatible-mode/v1/responses';
const STANDARD_CHAT_PATH = '/plans/dashscope-intl/compatible-mode/v1/chat/completions';
const CODING_CHAT_PATH = '/plans/coding-intl/v1/chat/completions';

type AccountType = 'standard' | 'coding-plan';

/** An accounts file with one account per type (in order) on the fake's plan hosts. */
function withAccounts(types: readonly AccountType[]) {
  let env: Record<string, string> = {};
  const keys: Record<string, string> = {};
  return {
    keys,
    prepareQwenDir: async ({ fake, qwenDir }: { fake: FakeQwen; qwenDir: string }) => {
      const path = join(qwenDir, 'accounts.json');
      const accounts = types.map((type) => {
        keys[type] = fake.issuePlanKey({ type });
        return {
          id: `${type}-1`,
          type,
          apiKey: keys[type],
          baseUrl: fake.planBaseUrl(type === 'standard' ? 'dashscope-intl' : 'coding-intl'),
        };
      });
      await writeFile(path, JSON.stringify({ accounts }), { mode: 0o600 });
      env = { QWEN_RELAY_ACCOUNTS: path };
    },
    configureEnv: () => env,
  };
}

describe('POST /v1/responses: passthrough on standard hosts, translation elsewhere', () => {
  let environment: TestEnvironment | undefined;
  afterEach(async () => {
    await environment?.close();
    environment = undefined;
  });

  async function start(type: AccountType | AccountType[], env: Record<string, string> = {}) {
    const accounts = withAccounts(Array.isArray(type) ? type : [type]);
    const { keys, ...options } = accounts;
    environment = await startTestEnvironment({
      credentials: 'none',
      env: { RETRY_BASE_DELAY_MS: '10', RETRY_MAX_DELAY_MS: '50', ...env },
      ...options,
    });
    return { ...environment, keys };
  }

  const nativeRequests = (fake: FakeQwen) =>
    fake.requests.filter((request) => request.path === NATIVE_PATH);

  it('a standard account and a natively served model: passed through, JSON and stream', async () => {
    const { openai, fake } = await start('standard');
    const response = await openai.responses.create({
      model: 'qwen3.5-plus',
      input: 'Say hello',
      store: false,
    });
    expect(response.id).toMatch(/^resp_native_/);
    expect(response.output_text).toContain('Hello from the fake Qwen upstream.');
    expect(fake.lastRequest(NATIVE_PATH)?.body).toMatchObject({
      model: 'qwen3.5-plus',
      input: 'Say hello',
      store: false,
    });
    expect(fake.lastRequest(STANDARD_CHAT_PATH)).toBeUndefined();

    const stream = openai.responses.stream({
      model: 'qwen3-max',
      input: 'Think',
      reasoning: { effort: 'high' },
    });
    const final = await stream.finalResponse();
    expect(final.id).toMatch(/^resp_native_/);
    expect(final.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    // the client left `store` out: the host gets the client's body with `store: false` added
    expect(fake.lastRequest(NATIVE_PATH)?.body).toEqual({
      model: 'qwen3-max',
      input: 'Think',
      reasoning: { effort: 'high' },
      stream: true,
      store: false,
    });
  });

  it('a standard account and a model the native endpoint does not serve: translated to chat', async () => {
    const { openai, fake } = await start('standard');
    const response = await openai.responses.create({
      model: 'qwen3-coder-plus',
      input: 'Say hello',
    });
    expect(response.id).not.toMatch(/^resp_native_/);
    expect(response.output_text).toContain('Hello from the fake Qwen upstream.');
    expect(fake.lastRequest(STANDARD_CHAT_PATH)).toBeDefined();
    expect(fake.lastRequest(NATIVE_PATH)).toBeUndefined();
  });

  it('a Coding Plan account: always translated, even for qwen3.5-plus', async () => {
    const { openai, fake } = await start('coding-plan');
    const response = await openai.responses.create({ model: 'qwen3.5-plus', input: 'Say hello' });
    expect(response.output_text).toContain('Hello from the fake Qwen upstream.');
    expect(fake.lastRequest(CODING_CHAT_PATH)).toBeDefined();
  });

  it('a passed-through stream that breaks ends with error then response.failed, numbering continued', async () => {
    const { fake, proxy } = await start('standard');
    fake.inject({ endpoint: 'responses', action: { type: 'mid-stream-drop', afterChunks: 3 } });
    const response = await fetch(`${proxy.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'qwen3.5-plus', input: 'x', stream: true }),
    });
    const events = [...(await response.text()).matchAll(/^data: (.+)$/gm)].map(
      (match) => JSON.parse(match[1] ?? '') as { type: string; sequence_number: number },
    );
    expect(events.map((event) => event.sequence_number)).toEqual(
      events.map((_event, index) => index),
    );
    expect(events.slice(-2).map((event) => event.type)).toEqual(['error', 'response.failed']);
  });

  it('a passed-through stream with an in-band error event keeps it and ends with response.failed', async () => {
    const { fake, proxy } = await start('standard');
    fake.inject({ endpoint: 'responses', action: { type: 'mid-stream-error', afterChunks: 4 } });
    const response = await fetch(`${proxy.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'qwen3.5-plus', input: 'x', stream: true }),
    });
    const types = [...(await response.text()).matchAll(/^data: (.+)$/gm)].map(
      (match) => (JSON.parse(match[1] ?? '') as { type: string }).type,
    );
    expect(types.filter((type) => type === 'error')).toHaveLength(1);
    expect(types.at(-1)).toBe('response.failed');
    expect(types).not.toContain('response.completed');
  });

  it('retries a native call that failed before its first byte, JSON and stream', async () => {
    const { openai, fake } = await start('standard');
    fake.inject({ endpoint: 'responses', action: { type: 'status', status: 503 } });
    const response = await openai.responses.create({ model: 'qwen3.5-plus', input: 'hi' });
    expect(response.id).toMatch(/^resp_native_/);
    fake.inject({ endpoint: 'responses', action: { type: 'status', status: 500 }, stream: true });
    const final = await openai.responses
      .stream({ model: 'qwen3.5-plus', input: 'hi' })
      .finalResponse();
    expect(final.status).toBe('completed');
    expect(nativeRequests(fake)).toHaveLength(4);
  });

  it('decides per attempt: a standard account out of quota rotates to a Coding Plan account, translated', async () => {
    const { openai, fake, keys } = await start(['standard', 'coding-plan']);
    const standardKey = keys.standard;
    if (standardKey === undefined) throw new Error('the standard account has no key');
    // the standard key's free quota is spent: the native call is refused, the account rotates
    fake.inject(
      faults.limit('free-quota-exhausted', {
        endpoint: 'responses',
        bearer: standardKey,
        times: Number.POSITIVE_INFINITY,
      }),
    );
    for (let index = 0; index < 3; index++) {
      const response = await openai.responses.create({
        model: 'qwen3.5-plus',
        input: `question ${index}`,
      });
      expect(response.status).toBe('completed');
      expect(response.id).not.toMatch(/^resp_native_/);
      expect(response.output_text).toContain('Hello from the fake Qwen upstream.');
    }
    expect(nativeRequests(fake).length).toBeGreaterThan(0);
    expect(fake.lastRequest(CODING_CHAT_PATH)?.body).toMatchObject({ model: 'qwen3.5-plus' });
  });

  it('an invalid standard key is a 401 envelope, never a retry loop or a leaked key', async () => {
    const { openai, fake, keys } = await start('standard');
    fake.inject({
      endpoint: 'responses',
      action: {
        type: 'status',
        status: 401,
        body: { error: { code: 'invalid_api_key', message: 'Incorrect API key provided.' } },
      },
      times: Number.POSITIVE_INFINITY,
    });
    const error = await openai.responses
      .create({ model: 'qwen3.5-plus', input: 'hi' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as { status?: number }).status).toBe(401);
    expect(JSON.stringify((error as { error?: unknown }).error)).not.toContain(keys.standard);
    expect(nativeRequests(fake).length).toBeLessThanOrEqual(2);
  });

  it('a tool round trip passed through with the official client', async () => {
    const { openai, fake } = await start('standard');
    const tools = [
      {
        type: 'function' as const,
        name: 'get_weather',
        description: 'The weather in a city.',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
          additionalProperties: false,
        },
        strict: true,
      },
    ];
    const first = await openai.responses.create({
      model: 'qwen3-max',
      input: 'Weather in Paris?',
      tools,
      store: false,
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather' });
    if (call?.type !== 'function_call') throw new Error('no function_call');
    expect(JSON.parse(call.arguments)).toHaveProperty('city');
    const second = await openai.responses.create({
      model: 'qwen3-max',
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        call,
        { type: 'function_call_output', call_id: call.call_id, output: 'sunny' },
      ],
      tools,
      store: false,
    });
    expect(second.output_text).toContain('Hello from the fake Qwen upstream.');
    expect(nativeRequests(fake)).toHaveLength(2);
  });

  it("@ai-sdk/openai's default provider on the passthrough path, with a tool", async () => {
    const { proxy, fake } = await start('standard');
    const openai = createOpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'not-needed' });
    const result = await generateText({
      model: openai('qwen3.5-plus'),
      prompt: 'Weather in Paris?',
      providerOptions: { openai: { store: false } },
      tools: {
        getWeather: tool({
          description: 'The weather in a city.',
          inputSchema: jsonSchema<{ city: string }>({
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          }),
          execute: async ({ city }) => `sunny in ${city}`,
        }),
      },
      stopWhen: ({ steps }) => steps.length >= 2,
    });
    expect(result.steps[0]?.toolCalls.map((call) => call.toolName)).toEqual(['getWeather']);
    expect(result.text).toContain('Hello from the fake Qwen upstream.');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(nativeRequests(fake)).toHaveLength(2);
    expect(fake.lastRequest(STANDARD_CHAT_PATH)).toBeUndefined();
  });

  it('structured output passed through: text.format json_schema → parsed output', async () => {
    const { openai, fake } = await start('standard');
    const response = await openai.responses.parse({
      model: 'qwen3.5-plus',
      input: 'Give me a city',
      text: {
        format: {
          type: 'json_schema',
          name: 'city',
          strict: true,
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, population: { type: 'integer' } },
            required: ['name', 'population'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(response.id).toMatch(/^resp_native_/);
    expect(response.output_parsed).toEqual({ name: 'example', population: 1 });
    expect(fake.lastRequest(NATIVE_PATH)?.body).toMatchObject({
      text: { format: { type: 'json_schema', name: 'city' } },
    });
  });
});
