import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { faults } from '@qwen-relay/fake-qwen';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTestEnvironment,
  type TestEnvironment,
  waitFor,
} from './support/start-test-environment';

const MODEL = 'qwen3-coder-plus';
const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather of a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' }, days: { type: 'number' } },
    required: ['city'],
  },
};

function createAnthropic(environment: TestEnvironment, apiKey = 'not-needed'): Anthropic {
  return new Anthropic({ baseURL: environment.proxy.url, apiKey, maxRetries: 0 });
}

describe('POST /v1/messages with @anthropic-ai/sdk (translation to chat completions)', () => {
  let environment: TestEnvironment | undefined;
  afterEach(async () => {
    await environment?.close();
    environment = undefined;
  });

  it('creates a message: text, end_turn, usage with every field, request id', async () => {
    environment = await startTestEnvironment();
    const anthropic = createAnthropic(environment);
    const { data: message, response } = await anthropic.messages
      .create({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] })
      .withResponse();
    expect(message.id).toMatch(/^msg_/);
    expect(message.model).toBe(MODEL);
    expect(message.content).toEqual([{ type: 'text', text: expect.any(String) }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toEqual({
      input_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: expect.any(Number),
    });
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get('request-id')).toBeTruthy();
    const upstream = environment.fake.lastRequest('/v1/chat/completions')?.body as Record<
      string,
      unknown
    >;
    expect(upstream).toMatchObject({ model: MODEL, max_tokens: 256, stream: false });
  });

  it('streams a message through the beta path (`?beta=true`, anthropic-beta) like Claude Code', async () => {
    environment = await startTestEnvironment();
    const anthropic = createAnthropic(environment);
    const stream = anthropic.beta.messages.stream({
      model: MODEL,
      max_tokens: 256,
      system: [
        {
          type: 'text',
          text: 'x-anthropic-billing-header: cc_version=2.1.84.c8e; cc_entrypoint=cli; cch=36ee5;',
        },
        { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." },
      ],
      messages: [{ role: 'user', content: 'Hello' }],
      betas: ['claude-code-20250219', 'interleaved-thinking-2025-05-14'],
    });
    const eventTypes: string[] = [];
    for await (const event of stream) eventTypes.push(event.type);
    const message = await stream.finalMessage();
    expect(eventTypes[0]).toBe('message_start');
    expect(eventTypes.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(message.content[0]?.type).toBe('text');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    const request = environment.fake.requests.at(-1);
    expect(JSON.stringify(request?.body)).not.toContain('x-anthropic-billing-header');
    expect(environment.proxy.url).toBeTruthy();
  });

  it('tool use round trip: tool_use block with parsed input, then the tool_result reaches the upstream', async () => {
    environment = await startTestEnvironment({
      fakeOptions: { stream: { toolCallsFinishReason: 'stop' } },
    });
    const anthropic = createAnthropic(environment);
    const first = await anthropic.messages
      .stream({
        model: MODEL,
        max_tokens: 512,
        tools: [WEATHER_TOOL],
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      })
      .finalMessage();
    // the fake says `stop` after its tool calls (a DashScope variation): still tool_use
    expect(first.stop_reason).toBe('tool_use');
    const toolUse = first.content.find((block) => block.type === 'tool_use');
    if (toolUse?.type !== 'tool_use') throw new Error('no tool_use block');
    expect(toolUse.id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(toolUse.name).toBe('get_weather');
    expect(toolUse.input).toEqual({ city: 'example', days: 1 });

    const second = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 512,
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'none' },
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: toolUse.id,
              content: [{ type: 'text', text: '21 °C' }],
            },
          ],
        },
      ],
    });
    expect(second.stop_reason).toBe('end_turn');
    const upstream = environment.fake.lastRequest('/v1/chat/completions')?.body as {
      messages: Array<Record<string, unknown>>;
      tool_choice: unknown;
    };
    expect(upstream.tool_choice).toBe('none');
    expect(upstream.messages.at(-2)).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: toolUse.id, function: { name: 'get_weather' } }],
    });
    expect(upstream.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: toolUse.id,
      content: '21 °C',
    });
  });

  it('thinking: budget_tokens turns the knob on and reasoning streams as a thinking block', async () => {
    environment = await startTestEnvironment();
    const anthropic = createAnthropic(environment);
    const message = await anthropic.messages
      .stream({
        model: MODEL,
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        messages: [{ role: 'user', content: 'Think first' }],
      })
      .finalMessage();
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    const thinking = message.content[0];
    expect(thinking?.type === 'thinking' && thinking.thinking.length).toBeGreaterThan(0);
    const upstream = environment.fake.lastRequest('/v1/chat/completions')?.body;
    expect(upstream).toMatchObject({ enable_thinking: true, thinking_budget: 2048 });
  });

  it('a mid-stream upstream failure raises in the SDK (an `error` event, never a silent end)', async () => {
    environment = await startTestEnvironment();
    const anthropic = createAnthropic(environment);
    environment.fake.inject(faults.midStreamError(3, { stream: true }));
    const failed = anthropic.messages
      .stream({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] })
      .finalMessage();
    await expect(failed).rejects.toBeInstanceOf(APIError);
    await expect(failed).rejects.toMatchObject({
      error: { type: 'error', error: { type: 'api_error' } },
    });

    environment.fake.inject(faults.midStreamDrop(3, { stream: true }));
    const dropped = anthropic.messages
      .stream({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] })
      .finalMessage();
    await expect(dropped).rejects.toBeInstanceOf(APIError);
  });

  it('429 after retries: an Anthropic rate_limit_error with the Retry-After', async () => {
    environment = await startTestEnvironment({ env: { MAX_RETRIES: '0' } });
    environment.fake.inject(
      faults.rateLimited({ retryAfterInSeconds: 7, times: Number.POSITIVE_INFINITY }),
    );
    const failure = (await createAnthropic(environment)
      .messages.create({
        model: MODEL,
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((error: unknown) => error)) as APIError;
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    expect(failure.status).toBe(429);
    expect(failure.error).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: expect.any(String) },
    });
    expect(Number(failure.headers?.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a client that aborts a stream cancels the upstream request', async () => {
    environment = await startTestEnvironment({
      fakeOptions: { stream: { chunkCount: 200, chunkDelayInMs: 20 } },
    });
    const anthropic = createAnthropic(environment);
    const stream = anthropic.messages.stream({
      model: MODEL,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    for await (const event of stream) {
      if (event.type === 'content_block_delta') break; // leaving the loop aborts the request
    }
    await waitFor(() => environment?.fake.counters.streamsAbortedByClient === 1, {
      message: 'upstream stream cancelled',
    });
  });

  it('count_tokens answers locally (no upstream call), never 0', async () => {
    environment = await startTestEnvironment();
    const anthropic = createAnthropic(environment);
    const chatCallsBefore = environment.fake.counters.chatCalls;
    const small = await anthropic.messages.countTokens({
      model: MODEL,
      messages: [{ role: 'user', content: 'foo' }],
    });
    const large = await anthropic.beta.messages.countTokens({
      model: MODEL,
      messages: [{ role: 'user', content: 'foo '.repeat(2000) }],
      tools: [WEATHER_TOOL],
    });
    expect(small.input_tokens).toBeGreaterThan(0);
    expect(large.input_tokens).toBeGreaterThan(small.input_tokens + 1000);
    expect(environment.fake.counters.chatCalls).toBe(chatCallsBefore);
  });

  it('count_tokens learns from the real prompt count of a served request, per model', async () => {
    environment = await startTestEnvironment();
    const anthropic = createAnthropic(environment);
    // JSON-heavy text: the fake counts a quarter token per request byte, unlike the local estimate
    const request = {
      model: MODEL,
      system: 'You are a careful assistant.',
      messages: [
        {
          role: 'user' as const,
          content: `Summarise ${JSON.stringify(
            Array.from({ length: 40 }, (_, index) => ({ id: index, name: `item-${index}` })),
          )}`,
        },
      ],
    };
    const before = await anthropic.messages.countTokens(request);
    const message = await anthropic.messages.create({ ...request, max_tokens: 64 });
    const servedInputTokens =
      message.usage.input_tokens + (message.usage.cache_read_input_tokens ?? 0);
    const after = await anthropic.messages.countTokens(request);
    const otherModel = await anthropic.messages.countTokens({ ...request, model: 'qwen3-max' });
    expect(Math.abs(before.input_tokens - servedInputTokens)).toBeGreaterThan(
      servedInputTokens * 0.1,
    );
    expect(Math.abs(after.input_tokens - servedInputTokens)).toBeLessThanOrEqual(1);
    // what one model taught leaves another model's estimate alone
    expect(otherModel.input_tokens).toBe(before.input_tokens);
  });

  it('every error on these routes is Anthropic-shaped, the proxy-key 401 included', async () => {
    environment = await startTestEnvironment({ env: { PROXY_API_KEYS: 'right-key' } });
    const unauthorized = (await createAnthropic(environment, 'wrong-key')
      .messages.create({
        model: MODEL,
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((error: unknown) => error)) as APIError;
    expect(unauthorized).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(unauthorized.error).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: expect.stringContaining('PROXY_API_KEYS') },
    });

    // Claude Code's ANTHROPIC_AUTH_TOKEN arrives as a Bearer token; ANTHROPIC_API_KEY as x-api-key
    const withBearer = await fetch(`${environment.proxy.url}/v1/messages/count_tokens?beta=true`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer right-key',
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'claude-code-20250219',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(withBearer.status).toBe(200);
    expect(
      await createAnthropic(environment, 'right-key').messages.countTokens({
        model: MODEL,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).toEqual({ input_tokens: expect.any(Number) });

    const post = (path: string, body: unknown) =>
      fetch(`${environment?.proxy.url}${path}`, {
        method: 'POST',
        headers: { 'x-api-key': 'right-key', 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const missingMaxTokens = await post('/v1/messages', {
      model: MODEL,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(missingMaxTokens.status).toBe(400);
    expect(await missingMaxTokens.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
    const missingMessages = await post('/v1/messages', { model: MODEL, max_tokens: 10 });
    expect(await missingMessages.json()).toMatchObject({
      error: { message: 'messages: Field required' },
    });
    const badJson = await post('/v1/messages?beta=true', '{"model":');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
    const wrongMethod = await fetch(`${environment.proxy.url}/v1/messages`, {
      headers: { 'x-api-key': 'right-key' },
    });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
    const unknownPath = await post('/v1/messages/batches', {});
    expect(unknownPath.status).toBe(404);
    expect(await unknownPath.json()).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
    expect(environment.fake.counters.chatCalls).toBe(0);
  });

  it('lists models in Anthropic shape, with context windows, for clients that send anthropic-version', async () => {
    environment = await startTestEnvironment();
    const anthropic = createAnthropic(environment);
    const page = await anthropic.models.list({ limit: 1000 });
    expect(page.data.length).toBeGreaterThan(0);
    const model = page.data.find((entry) => entry.id === 'qwen3-coder-plus') as unknown as Record<
      string,
      unknown
    >;
    expect(model).toMatchObject({
      type: 'model',
      display_name: 'qwen3-coder-plus',
      context_window: 1_000_000,
    });
    expect(page.data.map((entry) => entry.id)).not.toContain('text-embedding-v4');
    const openai = (await (await fetch(`${environment.proxy.url}/v1/models`)).json()) as {
      data: Array<Record<string, unknown>>;
    };
    expect(openai.data.find((entry) => entry.id === 'text-embedding-v4')).toMatchObject({
      context_window: 8_192,
    });
    expect(openai.data.find((entry) => entry.id === 'qwen3-coder-plus')).toMatchObject({
      object: 'model',
      context_window: 1_000_000,
    });
  });
});
