import { describe, expect, it } from 'vitest';
import { parseChatCompletionRequest } from '../validation/parse-chat-completion-request';
import { convertChatCompletionRequestToQwen } from './convert-chat-completion-request-to-qwen';

const convert = (
  body: Record<string, unknown>,
  options: { portalQuirks?: boolean; modelAliases?: Record<string, string> } = {},
) => convertChatCompletionRequestToQwen({ request: parseChatCompletionRequest(body), ...options });

describe('convertChatCompletionRequestToQwen', () => {
  it('passes names the portal accepts (qwen3-coder-plus/flash) upstream unchanged', () => {
    for (const model of ['qwen3-coder-plus', 'qwen3-coder-flash']) {
      const { payload } = convert({ model, messages: [{ role: 'user', content: 'x' }] });
      expect(payload.model).toBe(model);
    }
  });

  it('streaming: alias, clamp, thinking, usage always requested, empty tools dropped, zeros kept', () => {
    const result = convert({
      model: 'qwen3.6-plus',
      messages: [
        { role: 'developer', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
      stream: true,
      temperature: 0,
      top_p: 0,
      seed: 0,
      presence_penalty: 0,
      max_tokens: 100_000,
      reasoning_effort: 'medium',
      tools: [],
      tool_choice: 'auto',
      x_passthrough: 'kept',
    });
    expect(result).toMatchInlineSnapshot(`
      {
        "clientModel": "qwen3.6-plus",
        "includeUsage": false,
        "payload": {
          "enable_thinking": true,
          "max_tokens": 65536,
          "messages": [
            {
              "content": "be brief",
              "role": "system",
            },
            {
              "content": "hi",
              "role": "user",
            },
          ],
          "model": "coder-model",
          "presence_penalty": 0,
          "seed": 0,
          "stream": true,
          "stream_options": {
            "include_usage": true,
          },
          "temperature": 0,
          "thinking_budget": 8192,
          "top_p": 0,
          "x_passthrough": "kept",
        },
        "stream": true,
      }
    `);
  });

  it('non-streaming: explicit stream false, stream_options dropped, max_completion_tokens wins', () => {
    const result = convert({
      model: 'vision-model',
      messages: [
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'https://x.example/a.png' } }],
        },
      ],
      stream_options: { include_usage: true },
      max_tokens: 10,
      max_completion_tokens: 50_000,
      reasoning: { effort: 'none' },
      temperature: null,
    });
    expect(result).toMatchInlineSnapshot(`
      {
        "clientModel": "vision-model",
        "includeUsage": false,
        "payload": {
          "enable_thinking": false,
          "max_tokens": 32768,
          "messages": [
            {
              "content": [
                {
                  "image_url": {
                    "url": "https://x.example/a.png",
                  },
                  "type": "image_url",
                },
              ],
              "role": "user",
            },
          ],
          "model": "vision-model",
          "stream": false,
        },
        "stream": false,
      }
    `);
  });

  it('portal quirks: system as a cache-controlled array, text-only user arrays flattened', () => {
    const result = convert(
      {
        model: 'coder-model',
        messages: [
          { role: 'system', content: 'You are a coder.' },
          {
            role: 'system',
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'line 1' },
              { type: 'text', text: 'line 2' },
            ],
          },
          { role: 'user', content: [] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'see' },
              { type: 'image_url', image_url: { url: 'https://x/y.png' } },
            ],
          },
          { role: 'assistant', content: 'ok' },
        ],
        stream: true,
        stream_options: { include_usage: true },
        tools: [
          { type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } },
        ],
        tool_choice: 'auto',
      },
      { portalQuirks: true },
    );
    expect(result).toMatchInlineSnapshot(`
      {
        "clientModel": "coder-model",
        "includeUsage": true,
        "payload": {
          "messages": [
            {
              "content": [
                {
                  "cache_control": {
                    "type": "ephemeral",
                  },
                  "text": "You are a coder.",
                  "type": "text",
                },
              ],
              "role": "system",
            },
            {
              "content": [
                {
                  "text": "a",
                  "type": "text",
                },
                {
                  "cache_control": {
                    "type": "ephemeral",
                  },
                  "text": "b",
                  "type": "text",
                },
              ],
              "role": "system",
            },
            {
              "content": "line 1
      line 2",
              "role": "user",
            },
            {
              "content": " ",
              "role": "user",
            },
            {
              "content": [
                {
                  "text": "see",
                  "type": "text",
                },
                {
                  "image_url": {
                    "url": "https://x/y.png",
                  },
                  "type": "image_url",
                },
              ],
              "role": "user",
            },
            {
              "content": "ok",
              "role": "assistant",
            },
          ],
          "model": "coder-model",
          "stream": true,
          "stream_options": {
            "include_usage": true,
          },
          "tool_choice": "auto",
          "tools": [
            {
              "function": {
                "name": "read_file",
                "parameters": {
                  "type": "object",
                },
              },
              "type": "function",
            },
          ],
        },
        "stream": true,
      }
    `);
  });

  it('without portal quirks messages are sent as given (only developer → system)', () => {
    const messages = [
      { role: 'system', content: 'You are a coder.' },
      { role: 'user', content: [{ type: 'text', text: 'line 1' }] },
    ];
    expect(convert({ model: 'coder-model', messages }).payload.messages).toEqual(messages);
  });

  it.each([
    ['none', { enable_thinking: false }],
    ['minimal', { enable_thinking: false }],
    ['low', { enable_thinking: true, thinking_budget: 1024 }],
    ['medium', { enable_thinking: true, thinking_budget: 8192 }],
    ['high', { enable_thinking: true }],
    ['xhigh', { enable_thinking: true }],
  ])('reasoning_effort %s → %o', (effort, expected) => {
    const { payload } = convert({
      model: 'coder-model',
      messages: [{ role: 'user', content: 'x' }],
      reasoning_effort: effort,
    });
    expect({
      enable_thinking: payload.enable_thinking,
      thinking_budget: payload.thinking_budget,
    }).toEqual({
      thinking_budget: undefined,
      ...expected,
    });
    expect(payload).not.toHaveProperty('reasoning_effort');
  });

  it('passes reasoning_effort through to qwen3.8 models, OpenAI high as their top tier xhigh', () => {
    const convert = (request: Record<string, unknown>) =>
      convertChatCompletionRequestToQwen({
        request: parseChatCompletionRequest({
          model: 'qwen3.8-max',
          messages: [{ role: 'user', content: 'hi' }],
          ...request,
        }),
        modelAliases: {},
      }).payload;
    expect(convert({ reasoning_effort: 'high' })).toMatchObject({ reasoning_effort: 'xhigh' });
    expect(convert({ reasoning: { effort: 'low' } })).toMatchObject({ reasoning_effort: 'low' });
    const off = convert({ reasoning_effort: 'none' });
    expect(off).toMatchObject({ reasoning_effort: 'none' });
    expect(off).not.toHaveProperty('enable_thinking');
    expect(off).not.toHaveProperty('thinking_budget');
    // explicit budget knobs stand alone: DashScope rejects them next to reasoning_effort
    const explicit = convert({ reasoning_effort: 'high', thinking_budget: 500 });
    expect(explicit).toMatchObject({ thinking_budget: 500 });
    expect(explicit).not.toHaveProperty('reasoning_effort');
  });

  it('never sends enable_thinking: false to a thinking-only model', () => {
    const convert = (request: Record<string, unknown>) =>
      convertChatCompletionRequestToQwen({
        request: parseChatCompletionRequest({
          model: 'qwen3.8-max-preview',
          messages: [{ role: 'user', content: 'hi' }],
          ...request,
        }),
        modelAliases: {},
      }).payload;
    expect(convert({ enable_thinking: false })).not.toHaveProperty('enable_thinking');
    expect(convert({ reasoning_effort: 'none' })).toMatchObject({ reasoning_effort: 'low' });
  });

  it('explicit enable_thinking / thinking_budget win over reasoning_effort', () => {
    const { payload } = convert({
      model: 'coder-model',
      messages: [{ role: 'user', content: 'x' }],
      reasoning_effort: 'low',
      enable_thinking: false,
      thinking_budget: 300,
    });
    expect(payload).toMatchObject({ enable_thinking: false, thinking_budget: 300 });
  });

  it('custom alias table and unknown models pass through; unknown models are not clamped', () => {
    const custom = convert(
      { model: 'fast', messages: [{ role: 'user', content: 'x' }], max_tokens: 999_999 },
      { modelAliases: { fast: 'qwen3-coder-flash' } },
    );
    expect(custom.payload).toMatchObject({ model: 'qwen3-coder-flash', max_tokens: 65_536 });
    expect(custom.clientModel).toBe('fast');
    const unknown = convert({
      model: 'qwen-max',
      messages: [{ role: 'user', content: 'x' }],
      max_tokens: 999_999,
    });
    expect(unknown.payload).toMatchObject({ model: 'qwen-max', max_tokens: 999_999 });
    expect(
      convert(
        { model: 'qwen3-coder-plus', messages: [{ role: 'user', content: 'x' }] },
        { modelAliases: {} },
      ).payload.model,
    ).toBe('qwen3-coder-plus');
  });

  it('includeUsage follows the client, not what is sent upstream', () => {
    const base = { model: 'coder-model', messages: [{ role: 'user', content: 'x' }], stream: true };
    expect(convert(base).includeUsage).toBe(false);
    expect(
      convert({ ...base, stream_options: { include_usage: false } }).payload.stream_options,
    ).toEqual({ include_usage: true });
    expect(convert({ ...base, stream_options: { include_usage: true } }).includeUsage).toBe(true);
  });

  it('drops an empty tool_calls list from assistant messages', () => {
    const { payload } = convert({
      model: 'coder-model',
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'y', tool_calls: [] },
      ],
    });
    expect(payload.messages).toEqual([
      { role: 'user', content: 'x' },
      { role: 'assistant', content: 'y' },
    ]);
  });

  it('does not mutate the request', () => {
    const body = {
      model: 'qwen3-coder-plus',
      messages: [{ role: 'system', content: 's' }],
      stream: true,
      max_tokens: 1e6,
    };
    const copy = structuredClone(body);
    convert(body, { portalQuirks: true });
    expect(body).toEqual(copy);
  });
});
