import { describe, expect, it } from 'vitest';
import { createFakeOpenAIClient } from '../../test/fake-openai-client';
import {
  assembleChunks,
  decodeAll,
  loadFixture,
  parseEvents,
  runTransform,
} from '../../test/stream-helpers';
import type { ChatCompletion } from '../types/chat-completion';
import { synthesizeChatCompletionStream } from './synthesize-chat-completion-stream';

const completion: ChatCompletion = {
  id: 'chatcmpl-9c1d7e52-4b3a-9a10-8f2e-6d5c4b3a2910',
  object: 'chat.completion',
  created: 1_775_000_000,
  model: 'qwen3-coder-plus',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'I will read both files.',
        reasoning_content: 'Need main.ts and its test.',
        tool_calls: [
          {
            id: 'call_a1',
            type: 'function',
            function: { name: 'read_file', arguments: '{"path":"src/main.ts"}' },
          },
          {
            id: 'call_b2',
            type: 'function',
            function: { name: 'read_file', arguments: '{"path":"src/main.test.ts"}' },
          },
        ],
        refusal: null,
      },
      finish_reason: 'tool_calls',
      logprobs: null,
    },
  ],
  usage: {
    prompt_tokens: 1234,
    completion_tokens: 56,
    total_tokens: 1290,
    prompt_tokens_details: { cached_tokens: 1024 },
  },
  system_fingerprint: null,
};

describe('synthesizeChatCompletionStream', () => {
  it('round-trips through the official openai client stream parser', async () => {
    const body = synthesizeChatCompletionStream({ completion, includeUsage: true });
    const client = createFakeOpenAIClient({ body });
    const stream = await client.chat.completions.create({
      model: 'qwen3-coder-plus',
      messages: [],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(
      chunks.every((chunk) => chunk.id === completion.id && chunk.model === 'qwen3-coder-plus'),
    ).toBe(true);
    expect(chunks.at(-1)?.usage).toEqual(completion.usage);
    expect(chunks.at(-1)?.choices).toEqual([]);
  });

  it('reassembles into the same message with the openai ChatCompletionStream helper', async () => {
    const body = synthesizeChatCompletionStream({ completion, includeUsage: true });
    const client = createFakeOpenAIClient({ body });
    const runner = client.chat.completions.stream({
      model: 'qwen3-coder-plus',
      messages: [],
      stream_options: { include_usage: true },
    });
    const final = await runner.finalChatCompletion();
    const message = final.choices[0]?.message;
    expect(message?.content).toBe('I will read both files.');
    expect(message?.tool_calls).toEqual(completion.choices[0]?.message.tool_calls);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.usage).toEqual(completion.usage);
  });

  it('emits role, reasoning, content, one delta per tool call, finish, usage only when asked, [DONE]', () => {
    const events = parseEvents(
      decodeAll([synthesizeChatCompletionStream({ completion, includeUsage: false })]),
    );
    const deltas = events
      .slice(0, -1)
      .map((event) => (event as { choices: Array<{ delta: unknown }> }).choices[0]?.delta);
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'Need main.ts and its test.' },
      { content: 'I will read both files.' },
      {
        tool_calls: [
          {
            index: 0,
            id: 'call_a1',
            type: 'function',
            function: completion.choices[0]?.message.tool_calls?.[0]?.function,
          },
        ],
      },
      {
        tool_calls: [
          {
            index: 1,
            id: 'call_b2',
            type: 'function',
            function: completion.choices[0]?.message.tool_calls?.[1]?.function,
          },
        ],
      },
      {},
    ]);
    expect(events.at(-1)).toBe('[DONE]');
    expect(events.some((event) => event !== '[DONE]' && 'usage' in (event as object))).toBe(false);
    const assembled = assembleChunks(events).get(0);
    expect(assembled?.reasoning).toBe('Need main.ts and its test.');
    expect(assembled?.finishReason).toBe('tool_calls');
  });

  it('is itself a valid upstream stream for the transform (same content after a pass)', () => {
    const body = synthesizeChatCompletionStream({ completion, includeUsage: true });
    const { text, summary } = runTransform({
      parts: [body],
      clientModel: 'qwen3-coder-plus',
      includeUsage: true,
    });
    expect(text).toBe(decodeAll([body]));
    expect(summary).toMatchObject({ endState: 'done', sawDone: true, usage: completion.usage });
  });
});

describe('the official openai client on transformed streams', () => {
  it('reassembles the repaired id:"" tool-call stream into two correct calls', async () => {
    const { text } = runTransform({ parts: [loadFixture('tool-calls')], includeUsage: true });
    const client = createFakeOpenAIClient({ body: new TextEncoder().encode(text) });
    const runner = client.chat.completions.stream({ model: 'coder-model', messages: [] });
    const final = await runner.finalChatCompletion();
    expect(final.model).toBe('coder-model');
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.choices[0]?.message.tool_calls).toEqual([
      {
        id: 'call_4f1c9e2ab7d84c0f9a1e22',
        type: 'function',
        function: { name: 'read_file', arguments: '{"path": "src/main.ts"}' },
      },
      {
        id: 'call_9b2d7f00c1e34a5b8d6e11',
        type: 'function',
        function: { name: 'grep', arguments: '{"pattern":"TODO","path":"src"}' },
      },
    ]);
    expect(final.usage?.prompt_tokens_details?.cached_tokens).toBe(768);
  });

  it('raises on the error event of a failed stream', async () => {
    const upstream = new TextEncoder().encode(
      'data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"model":"x","id":"c1"}\n\n' +
        'data: {"error":{"message":"Output data may contain inappropriate content.","type":"data_inspection_failed","param":null,"code":"data_inspection_failed"}}\n\n',
    );
    const { outputs } = runTransform({ parts: [upstream] });
    const client = createFakeOpenAIClient({ body: new TextEncoder().encode(decodeAll(outputs)) });
    const stream = await client.chat.completions.create({
      model: 'coder-model',
      messages: [],
      stream: true,
    });
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow('Output data may contain inappropriate content.');
    expect(received).toEqual(['Hi']);
  });
});
