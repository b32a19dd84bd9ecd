import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from './support/start-test-environment';

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

describe('POST /v1/responses (translation to chat) with the official openai client', () => {
  let environment: TestEnvironment;
  beforeAll(async () => {
    environment = await startTestEnvironment({ fakeOptions: { stream: { chunkCount: 6 } } });
  });
  afterAll(async () => {
    await environment.close();
  });

  it('responses.create answers a response object with text, usage and the requested model', async () => {
    const response = await environment.openai.responses.create({
      model: 'qwen3-coder-plus',
      instructions: 'Be brief.',
      input: 'Say hello',
      store: false,
    });
    expect(response.object).toBe('response');
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe('completed');
    expect(response.model).toBe('qwen3-coder-plus');
    expect(response.output_text).toContain('Hello from the fake Qwen upstream.');
    expect(response.usage).toMatchObject({
      input_tokens: expect.any(Number),
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: expect.any(Number),
      output_tokens_details: { reasoning_tokens: 0 },
    });
    const upstream = environment.fake.lastRequest('/v1/chat/completions')?.body as Record<
      string,
      unknown
    >;
    expect(upstream.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello' },
    ]);
    expect(upstream).not.toHaveProperty('store');
  });

  it('stream: true gives the documented event sequence, ending with response.completed', async () => {
    const stream = await environment.openai.responses.create({
      model: 'qwen3-coder-plus',
      input: 'Say hello',
      stream: true,
    });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.sequence_number)).toEqual(
      events.map((_event, index) => index),
    );
    expect(events[0]?.type).toBe('response.created');
    expect(events[1]?.type).toBe('response.in_progress');
    expect(events.at(-1)?.type).toBe('response.completed');
    const text = events
      .filter((event) => event.type === 'response.output_text.delta')
      .map((event) => (event.type === 'response.output_text.delta' ? event.delta : ''))
      .join('');
    expect(text).toContain('Hello from the fake Qwen upstream.');
  });

  it('responses.stream assembles the final response; reasoning streams as a reasoning item', async () => {
    const stream = environment.openai.responses.stream({
      model: 'qwen3-coder-plus',
      input: 'Think, then answer',
      reasoning: { effort: 'high' },
    });
    let reasoningDeltas = 0;
    stream.on('response.reasoning_summary_text.delta', () => {
      reasoningDeltas += 1;
    });
    const final = await stream.finalResponse();
    expect(reasoningDeltas).toBeGreaterThan(0);
    expect(final.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(final.output_text).toContain('Hello from the fake Qwen upstream.');
    expect(final.usage?.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    const upstream = environment.fake.lastRequest('/v1/chat/completions')?.body as Record<
      string,
      unknown
    >;
    expect(upstream.enable_thinking).toBe(true);
  });

  it('a tool round trip: function_call out, function_call_output back in, text answer', async () => {
    const first = await environment.openai.responses.create({
      model: 'qwen3-coder-plus',
      input: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
      store: false,
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
    if (call?.type !== 'function_call') throw new Error('no function call');
    expect(JSON.parse(call.arguments)).toEqual({ city: 'example' });

    const stream = environment.openai.responses.stream({
      model: 'qwen3-coder-plus',
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          type: 'function_call',
          call_id: call.call_id,
          name: call.name,
          arguments: call.arguments,
        },
        { type: 'function_call_output', call_id: call.call_id, output: 'sunny, 21 °C' },
      ],
      tools: [weatherTool],
      store: false,
    });
    const second = await stream.finalResponse();
    expect(second.output_text).toContain('Hello from the fake Qwen upstream.');
    const upstream = environment.fake.lastRequest('/v1/chat/completions')?.body as {
      messages: Array<Record<string, unknown>>;
    };
    expect(upstream.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    expect(upstream.messages[2]).toEqual({
      role: 'tool',
      tool_call_id: call.call_id,
      content: 'sunny, 21 °C',
    });
  });

  it('streams a tool call as function_call items with call_id, name and arguments', async () => {
    const stream = environment.openai.responses.stream({
      model: 'qwen3-coder-plus',
      input: 'Weather in Paris?',
      tools: [weatherTool],
    });
    let argumentsDone = '';
    stream.on('response.function_call_arguments.done', (event) => {
      argumentsDone = event.arguments;
    });
    const final = await stream.finalResponse();
    expect(final.output).toEqual([
      expect.objectContaining({
        type: 'function_call',
        name: 'get_weather',
        arguments: '{"city":"example"}',
      }),
    ]);
    expect(argumentsDone).toBe('{"city":"example"}');
  });

  it('structured output: text.format json_schema → parsed output', async () => {
    const response = await environment.openai.responses.parse({
      model: 'qwen3-coder-plus',
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
    expect(response.output_parsed).toEqual({ name: 'example', population: 1 });
    const upstream = environment.fake.lastRequest('/v1/chat/completions')?.body as Record<
      string,
      unknown
    >;
    expect(upstream.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'city', strict: true },
    });
  });

  it('serves a request offering web search without it, naming it in a header', async () => {
    const { data, response } = await environment.openai.responses
      .create({
        model: 'qwen3-coder-plus',
        input: 'Say hello',
        tools: [{ type: 'web_search' }],
      })
      .withResponse();
    expect(data.status).toBe('completed');
    expect(response.headers.get('x-qwen-relay-ignored-tools')).toBe('web_search');
    const upstream = environment.fake.lastRequest('/v1/chat/completions')?.body as Record<
      string,
      unknown
    >;
    expect(upstream).not.toHaveProperty('tools');
  });

  it('a stream cut off midway ends with error then response.failed', async () => {
    environment.fake.inject({
      endpoint: 'chat',
      action: { type: 'mid-stream-drop', afterChunks: 2 },
    });
    const response = await fetch(`${environment.proxy.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'qwen3-coder-plus', input: 'x', stream: true }),
    });
    const text = await response.text();
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
    expect(types.slice(-2)).toEqual(['error', 'response.failed']);
    expect(types).not.toContain('response.completed');
  });
});
