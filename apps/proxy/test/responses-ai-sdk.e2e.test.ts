import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, Output, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from './support/start-test-environment';

// `@ai-sdk/openai`'s default model factory (`openai(model)`) speaks the Responses API
describe('POST /v1/responses with @ai-sdk/openai and ai', () => {
  let environment: TestEnvironment;
  let openai: ReturnType<typeof createOpenAI>;
  beforeAll(async () => {
    environment = await startTestEnvironment({ fakeOptions: { stream: { chunkCount: 6 } } });
    openai = createOpenAI({ baseURL: `${environment.proxy.url}/v1`, apiKey: 'not-needed' });
  });
  afterAll(async () => {
    await environment.close();
  });

  it('generateText: text and usage through /v1/responses', async () => {
    const result = await generateText({ model: openai('qwen3-coder-plus'), prompt: 'Say hello' });
    expect(result.text).toContain('Hello from the fake Qwen upstream.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(environment.fake.lastRequest('/v1/chat/completions')).toBeDefined();
    expect(environment.proxy.url).toBeTruthy();
  });

  it('streamText: reasoning and text stream; a tool is called and its result sent back', async () => {
    const result = streamText({
      model: openai('qwen3-coder-plus'),
      prompt: 'Weather in Paris?',
      // forceReasoning: the SDK only sends reasoning options for model ids it knows reason
      providerOptions: { openai: { reasoningEffort: 'high', forceReasoning: true, store: false } },
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
    let reasoning = '';
    for await (const part of result.fullStream) {
      if (part.type === 'reasoning-delta') reasoning += part.text;
      if (part.type === 'error') throw part.error;
    }
    const steps = await result.steps;
    expect(reasoning).toContain('Let me think');
    expect(steps[0]?.toolCalls).toEqual([
      expect.objectContaining({ toolName: 'getWeather', input: { city: 'example' } }),
    ]);
    expect(await result.text).toContain('Hello from the fake Qwen upstream.');
    const upstream = environment.fake.lastRequest('/v1/chat/completions')?.body as {
      messages: Array<Record<string, unknown>>;
    };
    expect(upstream.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringContaining('sunny in example'),
    });
  });

  it('generateText with structured output (text.format json_schema)', async () => {
    const result = await generateText({
      model: openai('qwen3-coder-plus'),
      prompt: 'A city',
      output: Output.object({
        schema: jsonSchema<{ name: string; population: number }>({
          type: 'object',
          properties: { name: { type: 'string' }, population: { type: 'integer' } },
          required: ['name', 'population'],
          additionalProperties: false,
        }),
      }),
    });
    expect(result.output).toEqual({ name: 'example', population: 1 });
  });
});
