import { isQwenRelayError } from '@qwen-relay/contracts';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors/invalid-request-error';
import {
  parseChatCompletionRequest,
  safeParseChatCompletionRequest,
} from './parse-chat-completion-request';

const valid = { model: 'coder-model', messages: [{ role: 'user', content: 'hi' }] };
const withMessages = (...messages: unknown[]) => ({ model: 'coder-model', messages });

describe('safeParseChatCompletionRequest rejects with the offending param', () => {
  it.each<[string, unknown, string | null]>([
    ['body not an object', [], null],
    ['body null', null, null],
    ['missing model', { messages: valid.messages }, 'model'],
    ['model not a string', { ...valid, model: 3 }, 'model'],
    ['empty model', { ...valid, model: '' }, 'model'],
    ['missing messages', { model: 'coder-model' }, 'messages'],
    ['messages not an array', { ...valid, messages: 'hi' }, 'messages'],
    ['empty messages', { ...valid, messages: [] }, 'messages'],
    ['message not an object', withMessages('hi'), 'messages[0]'],
    ['unknown role', withMessages({ role: 'wizard', content: 'x' }), 'messages[0].role'],
    [
      'function role',
      withMessages({ role: 'function', content: 'x', name: 'f' }),
      'messages[0].role',
    ],
    ['missing role', withMessages({ content: 'x' }), 'messages[0].role'],
    [
      'name not a string',
      withMessages({ role: 'user', content: 'x', name: 1 }),
      'messages[0].name',
    ],
    ['user content a number', withMessages({ role: 'user', content: 42 }), 'messages[0].content'],
    ['user content missing', withMessages({ role: 'user' }), 'messages[0].content'],
    ['user content null', withMessages({ role: 'user', content: null }), 'messages[0].content'],
    [
      'content part not an object',
      withMessages({ role: 'user', content: ['x'] }),
      'messages[0].content[0]',
    ],
    [
      'unknown part type',
      withMessages({ role: 'user', content: [{ type: 'file' }] }),
      'messages[0].content[0].type',
    ],
    [
      'text part without text',
      withMessages({ role: 'user', content: [{ type: 'text' }] }),
      'messages[0].content[0].text',
    ],
    [
      'image part without url',
      withMessages({
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'image_url', image_url: {} },
        ],
      }),
      'messages[0].content[1].image_url.url',
    ],
    [
      'image part in a system message',
      withMessages({
        role: 'system',
        content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }],
      }),
      'messages[0].content[0].type',
    ],
    ['system content null', withMessages({ role: 'system', content: null }), 'messages[0].content'],
    [
      'tool message without tool_call_id',
      withMessages(
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'y' },
        { role: 'tool', content: 'z' },
      ),
      'messages[2].tool_call_id',
    ],
    [
      'tool message with empty tool_call_id',
      withMessages({ role: 'tool', tool_call_id: '', content: 'z' }),
      'messages[0].tool_call_id',
    ],
    [
      'tool message content a number',
      withMessages({ role: 'tool', tool_call_id: 'c', content: 1 }),
      'messages[0].content',
    ],
    [
      'assistant tool_calls not an array',
      withMessages({ role: 'assistant', tool_calls: {} }),
      'messages[0].tool_calls',
    ],
    [
      'assistant tool call without id',
      withMessages({
        role: 'assistant',
        tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }],
      }),
      'messages[0].tool_calls[0].id',
    ],
    [
      'assistant tool call with wrong type',
      withMessages({
        role: 'assistant',
        tool_calls: [{ id: 'c', type: 'tool', function: { name: 'f', arguments: '{}' } }],
      }),
      'messages[0].tool_calls[0].type',
    ],
    [
      'assistant tool call without name',
      withMessages({
        role: 'assistant',
        tool_calls: [{ id: 'c', type: 'function', function: { arguments: '{}' } }],
      }),
      'messages[0].tool_calls[0].function.name',
    ],
    [
      'assistant tool call arguments as an object',
      withMessages({
        role: 'assistant',
        tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }],
      }),
      'messages[0].tool_calls[0].function.arguments',
    ],
    [
      'assistant content a number',
      withMessages({ role: 'assistant', content: 5 }),
      'messages[0].content',
    ],
    ['stream not a boolean', { ...valid, stream: 'yes' }, 'stream'],
    [
      'stream_options not an object',
      { ...valid, stream: true, stream_options: true },
      'stream_options',
    ],
    [
      'include_usage not a boolean',
      { ...valid, stream: true, stream_options: { include_usage: 1 } },
      'stream_options.include_usage',
    ],
    ['n = 2', { ...valid, n: 2 }, 'n'],
    ['n = 0', { ...valid, n: 0 }, 'n'],
    ['stop a number', { ...valid, stop: 1 }, 'stop'],
    ['stop with 5 entries', { ...valid, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    ['seed fractional', { ...valid, seed: 1.5 }, 'seed'],
    ['temperature negative', { ...valid, temperature: -0.1 }, 'temperature'],
    ['temperature above 2', { ...valid, temperature: 2.5 }, 'temperature'],
    ['temperature a string', { ...valid, temperature: '0.5' }, 'temperature'],
    ['top_p above 1', { ...valid, top_p: 1.1 }, 'top_p'],
    ['presence_penalty below -2', { ...valid, presence_penalty: -3 }, 'presence_penalty'],
    ['frequency_penalty above 2', { ...valid, frequency_penalty: 2.1 }, 'frequency_penalty'],
    ['max_tokens 0', { ...valid, max_tokens: 0 }, 'max_tokens'],
    ['max_tokens fractional', { ...valid, max_tokens: 10.5 }, 'max_tokens'],
    [
      'max_completion_tokens negative',
      { ...valid, max_completion_tokens: -1 },
      'max_completion_tokens',
    ],
    ['user a number', { ...valid, user: 1 }, 'user'],
    ['logprobs a string', { ...valid, logprobs: 'true' }, 'logprobs'],
    ['top_logprobs 21', { ...valid, top_logprobs: 21 }, 'top_logprobs'],
    [
      'parallel_tool_calls a string',
      { ...valid, parallel_tool_calls: 'yes' },
      'parallel_tool_calls',
    ],
    ['reasoning_effort unknown', { ...valid, reasoning_effort: 'max' }, 'reasoning_effort'],
    ['reasoning not an object', { ...valid, reasoning: 'high' }, 'reasoning'],
    [
      'reasoning.effort unknown',
      { ...valid, reasoning: { effort: 'extreme' } },
      'reasoning.effort',
    ],
    ['enable_thinking a string', { ...valid, enable_thinking: 'true' }, 'enable_thinking'],
    ['thinking_budget 0', { ...valid, thinking_budget: 0 }, 'thinking_budget'],
    ['top_k negative', { ...valid, top_k: -1 }, 'top_k'],
    ['repetition_penalty 0', { ...valid, repetition_penalty: 0 }, 'repetition_penalty'],
    ['metadata an array', { ...valid, metadata: [] }, 'metadata'],
    ['tools not an array', { ...valid, tools: {} }, 'tools'],
    ['tool of wrong type', { ...valid, tools: [{ type: 'retrieval' }] }, 'tools[0].type'],
    ['tool without function', { ...valid, tools: [{ type: 'function' }] }, 'tools[0].function'],
    [
      'tool with a bad name',
      { ...valid, tools: [{ type: 'function', function: { name: 'read file' } }] },
      'tools[0].function.name',
    ],
    [
      'tool parameters not an object',
      { ...valid, tools: [{ type: 'function', function: { name: 'f', parameters: 'x' } }] },
      'tools[0].function.parameters',
    ],
    ['tool_choice unknown string', { ...valid, tool_choice: 'any' }, 'tool_choice'],
    [
      'tool_choice object without name',
      { ...valid, tool_choice: { type: 'function', function: {} } },
      'tool_choice',
    ],
    [
      'response_format unknown type',
      { ...valid, response_format: { type: 'xml' } },
      'response_format.type',
    ],
    [
      'response_format json_schema without schema',
      { ...valid, response_format: { type: 'json_schema' } },
      'response_format.json_schema',
    ],
  ])('%s → %s', (_name, body, param) => {
    const result = safeParseChatCompletionRequest(body);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toBeInstanceOf(InvalidRequestError);
    expect(result.error.param).toBe(param);
    expect(result.error.code).toBe('QWEN_RELAY_INVALID_REQUEST');
    expect(result.error.status).toBe(400);
    if (param !== null) expect(result.error.message).toContain(`'${param}'`);
  });
});

describe('safeParseChatCompletionRequest accepts OpenAI requests', () => {
  it.each<[string, Record<string, unknown>]>([
    ['minimal', valid],
    [
      'every role and content shape',
      withMessages(
        { role: 'system', content: 'be brief' },
        { role: 'developer', content: [{ type: 'text', text: 'dev' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'high' } },
            { type: 'image_url', image_url: 'https://example.com/cat.png' },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'look', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
        { role: 'assistant', content: 'A cat.', reasoning_content: 'obvious' },
        { role: 'user', content: [] },
      ),
    ],
    [
      'every optional field at its bounds, zeros included',
      {
        ...valid,
        stream: true,
        stream_options: { include_usage: true },
        n: 1,
        stop: ['a', 'b', 'c', 'd'],
        seed: 0,
        temperature: 0,
        top_p: 0,
        presence_penalty: -2,
        frequency_penalty: 2,
        max_tokens: 1,
        max_completion_tokens: 1,
        user: 'u',
        logprobs: false,
        top_logprobs: 0,
        parallel_tool_calls: false,
        reasoning_effort: 'low',
        reasoning: { effort: 'high', summary: 'auto' },
        enable_thinking: false,
        thinking_budget: 1,
        top_k: 0,
        repetition_penalty: 1.05,
        metadata: { sessionId: 's' },
        tools: [
          {
            type: 'function',
            function: {
              name: 'read_file',
              description: 'd',
              parameters: { type: 'object' },
              strict: true,
            },
          },
        ],
        tool_choice: { type: 'function', function: { name: 'read_file' } },
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } },
      },
    ],
    [
      'nulls where OpenAI allows them',
      {
        ...valid,
        stream: null,
        stop: null,
        seed: null,
        temperature: null,
        max_tokens: null,
        n: null,
        tool_choice: null,
        stream_options: null,
      },
    ],
    [
      'unknown extra fields',
      { ...valid, vl_high_resolution_images: true, preserve_thinking: true, x_custom: { a: 1 } },
    ],
  ])('%s', (_name, body) => {
    const result = safeParseChatCompletionRequest(body);
    expect(result.success ? undefined : result.error.message).toBeUndefined();
    if (result.success) expect(result.data).toBe(body);
  });

  it('parseChatCompletionRequest throws the typed error', () => {
    let caught: unknown;
    try {
      parseChatCompletionRequest({ ...valid, temperature: 3 });
    } catch (error) {
      caught = error;
    }
    expect(isQwenRelayError(caught)).toBe(true);
    expect(caught).toMatchObject({
      code: 'QWEN_RELAY_INVALID_REQUEST',
      param: 'temperature',
      message: "Invalid value for 'temperature': expected a number between 0 and 2, got 3.",
    });
  });
});
