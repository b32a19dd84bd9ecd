import { describe, expect, it } from 'vitest';
import { convertQwenChatCompletionToOpenAI } from './convert-qwen-chat-completion-to-openai';
import { convertQwenEmbeddingsToOpenAI } from './convert-qwen-embeddings-to-openai';
import { listOpenAIModels } from './list-openai-models';

const qwenCompletion = (
  message: Record<string, unknown>,
  finishReason: unknown = 'stop',
  extra: Record<string, unknown> = {},
) => ({
  choices: [
    {
      message: { role: 'assistant', ...message },
      finish_reason: finishReason,
      index: 0,
      logprobs: null,
    },
  ],
  object: 'chat.completion',
  usage: {
    prompt_tokens: 29719,
    completion_tokens: 435,
    total_tokens: 30154,
    completion_tokens_details: { reasoning_tokens: 382, text_tokens: 435 },
    prompt_tokens_details: {
      text_tokens: 29719,
      cached_tokens: 0,
      cache_creation_input_tokens: 29713,
      cache_type: 'ephemeral',
    },
  },
  created: 1_775_000_000,
  system_fingerprint: null,
  model: 'qwen3.6-plus',
  id: 'chatcmpl-9c1d7e52-4b3a-9a10-8f2e-6d5c4b3a2910',
  ...extra,
});

describe('convertQwenChatCompletionToOpenAI', () => {
  it('maps a thinking answer: client model, reasoning_content kept, usage incl. cache details', () => {
    const completion = convertQwenChatCompletionToOpenAI({
      body: qwenCompletion({
        content: 'Here is the fix.',
        reasoning_content: 'Check the loop bound.',
      }),
      clientModel: 'qwen3-coder-plus',
    });
    expect(completion).toMatchInlineSnapshot(`
      {
        "choices": [
          {
            "finish_reason": "stop",
            "index": 0,
            "logprobs": null,
            "message": {
              "content": "Here is the fix.",
              "reasoning_content": "Check the loop bound.",
              "refusal": null,
              "role": "assistant",
            },
          },
        ],
        "created": 1775000000,
        "id": "chatcmpl-9c1d7e52-4b3a-9a10-8f2e-6d5c4b3a2910",
        "model": "qwen3-coder-plus",
        "object": "chat.completion",
        "system_fingerprint": null,
        "usage": {
          "completion_tokens": 435,
          "completion_tokens_details": {
            "reasoning_tokens": 382,
            "text_tokens": 435,
          },
          "prompt_tokens": 29719,
          "prompt_tokens_details": {
            "cache_creation_input_tokens": 29713,
            "cache_type": "ephemeral",
            "cached_tokens": 0,
            "text_tokens": 29719,
          },
          "total_tokens": 30154,
        },
      }
    `);
  });

  it('tool calls: content "" → null, stop → tool_calls, object arguments stringified, missing id synthesised', () => {
    const completion = convertQwenChatCompletionToOpenAI({
      body: qwenCompletion(
        {
          content: '',
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'read_file', arguments: '{"path":"a"}' },
            },
            { id: '', type: 'function', function: { name: 'grep', arguments: { pattern: 'x' } } },
          ],
        },
        'stop',
      ),
      clientModel: 'coder-model',
    });
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'read_file', arguments: '{"path":"a"}' },
          },
          {
            id: 'call_9c1d7e52-4b3a-9a10-8f2e-6d5c4b3a2910_0_1',
            type: 'function',
            function: { name: 'grep', arguments: '{"pattern":"x"}' },
          },
        ],
      },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
  });

  it('tool calls: one with arguments but no name or id is kept, synthesised; an empty phantom is dropped', () => {
    const completion = convertQwenChatCompletionToOpenAI({
      body: qwenCompletion(
        {
          content: '',
          tool_calls: [
            { function: { arguments: '{"q":1}' } },
            { id: '', type: 'function', function: {} },
            { id: 'call_kept', function: { arguments: '{}' } },
          ],
        },
        'stop',
      ),
      clientModel: 'coder-model',
    });
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      {
        id: 'call_9c1d7e52-4b3a-9a10-8f2e-6d5c4b3a2910_0_0',
        type: 'function',
        function: { name: 'tool_0', arguments: '{"q":1}' },
      },
      { id: 'call_kept', type: 'function', function: { name: 'tool_2', arguments: '{}' } },
    ]);
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it.each([
    ['length', 'length'],
    ['content_filter', 'content_filter'],
    [null, 'stop'],
    ['weird', 'stop'],
  ])('finish_reason %s → %s', (upstream, expected) => {
    const completion = convertQwenChatCompletionToOpenAI({
      body: qwenCompletion({ content: 'x' }, upstream),
      clientModel: 'm',
    });
    expect(completion.choices[0]?.finish_reason).toBe(expected);
  });

  it('error_finish becomes a retryable UpstreamStreamError carrying the text', () => {
    expect(() =>
      convertQwenChatCompletionToOpenAI({
        body: qwenCompletion({ content: 'Requests throttling triggered' }, 'error_finish'),
        clientModel: 'm',
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'QWEN_RELAY_UPSTREAM_STREAM_ERROR',
        retryable: true,
        upstreamErrorType: 'rate_limit_error',
      }),
    );
  });

  it.each<[string, unknown, string]>([
    [
      'an error body',
      { error: { code: 'internal_error', message: 'boom', type: 'internal_error' } },
      'QWEN_RELAY_UPSTREAM_STREAM_ERROR',
    ],
    ['HTML text', '<html>slider</html>', 'QWEN_RELAY_UPSTREAM_BAD_RESPONSE'],
    ['no choices', { id: 'x' }, 'QWEN_RELAY_UPSTREAM_BAD_RESPONSE'],
    ['a choice without message', { choices: [{ index: 0 }] }, 'QWEN_RELAY_UPSTREAM_BAD_RESPONSE'],
  ])('rejects %s with %s', (_name, body, code) => {
    expect(() => convertQwenChatCompletionToOpenAI({ body, clientModel: 'm' })).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('fills usage gaps: total computed, cached_tokens present', () => {
    const completion = convertQwenChatCompletionToOpenAI({
      body: {
        ...qwenCompletion({ content: 'x' }),
        usage: { prompt_tokens: 5, completion_tokens: 2 },
      },
      clientModel: 'm',
    });
    expect(completion.usage).toEqual({
      prompt_tokens: 5,
      completion_tokens: 2,
      total_tokens: 7,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });
});

describe('convertQwenEmbeddingsToOpenAI', () => {
  it('maps the list with the client model', () => {
    expect(
      convertQwenEmbeddingsToOpenAI({
        body: {
          data: [{ embedding: [0.1, 0.2], index: 0, object: 'embedding' }],
          model: 'text-embedding-v4',
          usage: { prompt_tokens: 3, total_tokens: 3 },
          id: 'x',
        },
        clientModel: 'my-embed',
      }),
    ).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }],
      model: 'my-embed',
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });

  it('rejects a body without vectors', () => {
    expect(() => convertQwenEmbeddingsToOpenAI({ body: { data: [{}] }, clientModel: 'm' })).toThrow(
      expect.objectContaining({ code: 'QWEN_RELAY_UPSTREAM_BAD_RESPONSE' }),
    );
  });
});

describe('listOpenAIModels', () => {
  it('lists every alias, target and embedding model once, sorted, in OpenAI format, with the context window', () => {
    const list = listOpenAIModels({
      modelAliases: { b: 'coder-model', a: 'coder-model' },
      embeddingModels: ['text-embedding-v4'],
    });
    expect(list).toEqual({
      object: 'list',
      data: ['a', 'b', 'coder-model', 'text-embedding-v4'].map((id) => ({
        id,
        object: 'model',
        created: 1_754_686_206,
        owned_by: 'qwen',
        context_window: id === 'text-embedding-v4' ? 8_192 : 1_000_000,
      })),
    });
    const vision = listOpenAIModels().data.find((model) => model.id === 'qwen-vl-max');
    expect(vision?.context_window).toBe(262_144);
    const ids = listOpenAIModels().data.map((model) => model.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'coder-model',
        'vision-model',
        'qwen3-coder-plus',
        'qwen3-coder-flash',
        'text-embedding-v4',
      ]),
    );
  });
});
