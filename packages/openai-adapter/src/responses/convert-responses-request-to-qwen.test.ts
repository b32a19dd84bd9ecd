import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  convertResponsesRequestToQwen,
  createResponseId,
} from './convert-responses-request-to-qwen';
import {
  createResponsesRequestParsers,
  parseResponsesRequest,
  safeParseResponsesRequest,
} from './parse-responses-request';

function loadRequest(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8'));
}

function convert(
  body: Record<string, unknown>,
  options: { modelAliases?: Record<string, string> } = {},
) {
  return convertResponsesRequestToQwen({
    request: parseResponsesRequest(body),
    modelAliases: options.modelAliases ?? {},
    responseId: 'resp_test',
    createdAtInSeconds: 1,
  });
}

function expectInvalid(body: Record<string, unknown>, param: string, message: RegExp) {
  let thrown: unknown;
  try {
    convert(body);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toMatchObject({ code: 'QWEN_RELAY_INVALID_REQUEST', status: 400, param });
  expect((thrown as Error).message).toMatch(message);
}

describe('convertResponsesRequestToQwen: Codex request shapes', () => {
  it('first turn: instructions + developer notes → one system message, tools mapped, store:false served', () => {
    const { payload, stream, context } = convert(loadRequest('codex-first-turn'));
    expect(stream).toBe(true);
    const messages = payload.messages as Array<{ role: string; content: unknown }>;
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'user']);
    expect(messages[0]?.content).toMatch(/^You are Codex[\s\S]*<permissions instructions>/);
    expect(messages[2]).toEqual({
      role: 'user',
      content: 'Fix the failing test in src/math.test.ts',
    });
    const tools = payload.tools as Array<{
      function: { name: string; parameters: unknown; description?: string };
    }>;
    expect(tools.map((tool) => tool.function.name)).toEqual([
      'shell',
      'update_plan',
      'apply_patch',
      'mcp__docs__search',
    ]);
    expect(tools[2]?.function.parameters).toMatchObject({ required: ['input'] });
    expect(tools[2]?.function.description).toContain('*** Begin Patch');
    expect(payload).toMatchObject({
      model: 'qwen3-coder-plus',
      stream: true,
      stream_options: { include_usage: true },
      tool_choice: 'auto',
      parallel_tool_calls: false,
      enable_thinking: true,
      thinking_budget: 8192,
    });
    // Responses-only fields never reach the chat upstream
    for (const field of [
      'input',
      'instructions',
      'store',
      'include',
      'prompt_cache_key',
      'text',
      'reasoning',
      'reasoning_effort',
    ]) {
      expect(payload).not.toHaveProperty(field);
    }
    expect(context.toolNames).toEqual({
      custom: ['apply_patch'],
      namespaced: { mcp__docs__search: { namespace: 'mcp__docs', name: 'search' } },
    });
    expect(context.echo).toMatchObject({
      store: false,
      parallel_tool_calls: false,
      reasoning: { effort: 'medium', summary: 'auto' },
    });
  });

  it('turn with function_call_output: consecutive calls → one assistant message, each followed by its output', () => {
    const { payload } = convert(loadRequest('codex-tool-output-turn'));
    const messages = payload.messages as Array<Record<string, unknown>>;
    expect(messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'tool',
      'assistant',
      'tool',
    ]);
    expect(messages[2]).toMatchObject({
      role: 'assistant',
      content: 'Let me look at the test and the code.',
      reasoning_content: '**Inspecting the test**\n\nI should read the failing test first.',
      tool_calls: [
        {
          id: 'call_a1',
          type: 'function',
          function: {
            name: 'shell',
            arguments: '{"command":["cat","src/math.test.ts"],"workdir":"/home/dev/project"}',
          },
        },
        { id: 'call_a2', type: 'function', function: { name: 'shell' } },
      ],
    });
    // outputs follow in the calls' order, whatever order the client sent them in
    expect(messages[3]).toMatchObject({ role: 'tool', tool_call_id: 'call_a1' });
    expect(messages[4]).toMatchObject({ role: 'tool', tool_call_id: 'call_a2' });
    expect(messages[5]).toMatchObject({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: 'call_b1',
          function: {
            name: 'apply_patch',
            arguments: JSON.stringify({
              input:
                '*** Begin Patch\n*** Update File: src/math.ts\n@@\n-export const add = (a: number, b: number) => a - b;\n+export const add = (a: number, b: number) => a + b;\n*** End Patch\n',
            }),
          },
        },
      ],
    });
    expect(messages[6]).toEqual({
      role: 'tool',
      tool_call_id: 'call_b1',
      content: 'Success. Updated the following files:\nM src/math.ts\n',
    });
    expect(payload).toMatchObject({ enable_thinking: true, parallel_tool_calls: true });
    expect(payload).not.toHaveProperty('thinking_budget');
  });
});

describe('convertResponsesRequestToQwen: fields', () => {
  it('a string input is one user message; sampling, limits, user, metadata and json_schema map to chat', () => {
    const { payload, stream } = convert({
      model: 'qwen3-coder-plus',
      input: 'Hi',
      max_output_tokens: 500,
      temperature: 0,
      top_p: 0.5,
      user: 'u-1',
      metadata: { team: 'a' },
      text: {
        format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
      },
    });
    expect(stream).toBe(false);
    expect(payload).toEqual({
      model: 'qwen3-coder-plus',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: false,
      max_tokens: 500,
      temperature: 0,
      top_p: 0.5,
      user: 'u-1',
      metadata: { team: 'a' },
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object' }, strict: true },
      },
    });
  });

  it('reasoning.effort uses the thinking knob of the model family (the chat mapping)', () => {
    // OpenAI's high is the top tier of qwen3.8 models, as in chat completions
    expect(
      convert({ model: 'qwen3.8-max', input: 'x', reasoning: { effort: 'high' } }).payload,
    ).toMatchObject({ reasoning_effort: 'xhigh' });
    expect(
      convert({ model: 'qwen3.8-max', input: 'x', reasoning: { effort: 'none' } }).payload,
    ).toMatchObject({ reasoning_effort: 'none' });
    // a thinking-only model never gets thinking turned off
    expect(
      convert({ model: 'qwen3.8-max-preview', input: 'x', reasoning: { effort: 'none' } }).payload,
    ).toMatchObject({ reasoning_effort: 'low' });
    expect(
      convert({ model: 'qwen3.6-plus', input: 'x', reasoning: { effort: 'none' } }).payload,
    ).toMatchObject({ enable_thinking: false });
    expect(
      convert({ model: 'qwen3.6-plus', input: 'x', reasoning: { effort: 'max' } }).payload,
    ).toMatchObject({ enable_thinking: true });
    expect(
      convert({ model: 'qwen3.8-max', input: 'x', reasoning: { effort: 'max' } }).payload,
    ).toMatchObject({ reasoning_effort: 'xhigh' });
  });

  it('input_image parts stay image parts in user messages; tool_choice by name maps to chat', () => {
    const { payload } = convert({
      model: 'qwen3-vl-plus',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is it?' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
          ],
        },
      ],
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }],
      tool_choice: { type: 'function', name: 'f' },
    });
    expect(payload.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is it?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
        ],
      },
    ]);
    expect(payload.tool_choice).toEqual({ type: 'function', function: { name: 'f' } });
  });

  it('chat-style messages instead of input are accepted (some Codex builds)', () => {
    const { payload } = convert({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
    expect(payload.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });
});

describe('Responses requests that cannot be served are refused by name (400)', () => {
  it.each([
    [{ store: true }, 'store', /store: true/],
    [{ previous_response_id: 'resp_1' }, 'previous_response_id', /previous_response_id/],
    [{ conversation: 'conv_1' }, 'conversation', /conversation/],
    [{ background: true }, 'background', /background/],
  ])('%o', (extra, param, message) => {
    const result = safeParseResponsesRequest({ model: 'm', input: 'x', ...extra });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error).toMatchObject({ param, status: 400 });
      expect(result.error.message).toMatch(message);
    }
  });

  it('with a response store, store: true and previous_response_id pass and are echoed', () => {
    const storing = createResponsesRequestParsers({ storesResponses: true });
    const request = storing.parse({
      model: 'm',
      input: 'x',
      store: true,
      previous_response_id: 'resp_1',
    });
    const { context } = convertResponsesRequestToQwen({
      request,
      modelAliases: {},
      responseId: 'resp_test',
      createdAtInSeconds: 1,
    });
    expect(context.echo).toMatchObject({ store: true, previous_response_id: 'resp_1' });
    // what no store serves is still refused by name, and the id must be a non-empty string
    expect(storing.safeParse({ model: 'm', input: 'x', conversation: 'c' })).toMatchObject({
      success: false,
      error: { param: 'conversation' },
    });
    for (const previousResponseId of ['', 42]) {
      expect(
        storing.safeParse({ model: 'm', input: 'x', previous_response_id: previousResponseId }),
      ).toMatchObject({ success: false, error: { param: 'previous_response_id', status: 400 } });
    }
    // without a store, the echo says nothing is kept
    expect(convert({ model: 'm', input: 'x', store: false }).context.echo).toMatchObject({
      store: false,
      previous_response_id: null,
    });
  });

  it('store:false and no store are both served', () => {
    expect(safeParseResponsesRequest({ model: 'm', input: 'x', store: false }).success).toBe(true);
    expect(safeParseResponsesRequest({ model: 'm', input: 'x' }).success).toBe(true);
  });

  it('missing input, bad ranges', () => {
    expect(safeParseResponsesRequest({ model: 'm' })).toMatchObject({
      success: false,
      error: { param: 'input' },
    });
    expect(safeParseResponsesRequest({ model: 'm', input: 'x', temperature: 3 })).toMatchObject({
      success: false,
      error: { param: 'temperature' },
    });
    expect(
      safeParseResponsesRequest({ model: 'm', input: 'x', reasoning: { effort: 'huge' } }),
    ).toMatchObject({ success: false, error: { param: 'reasoning.effort' } });
  });

  it('an offered web search is left out and reported, not refused', () => {
    const { payload, ignoredTools } = convert({
      model: 'm',
      input: 'x',
      tools: [
        { type: 'web_search', external_web_access: false },
        { type: 'function', name: 'f' },
      ],
    });
    expect(ignoredTools).toEqual(['web_search']);
    expect(
      (payload.tools as Array<{ function: { name: string } }>).map((tool) => tool.function.name),
    ).toEqual(['f']);
  });

  it('hosted tools name their type', () => {
    expectInvalid(
      { model: 'm', input: 'x', tools: [{ type: 'function', name: 'f' }, { type: 'local_shell' }] },
      'tools[1].type',
      /'local_shell' is not supported/,
    );
    expectInvalid(
      {
        model: 'm',
        input: 'x',
        tools: [{ type: 'namespace', name: 'n', tools: [{ type: 'file_search' }] }],
      },
      'tools[0].tools[0].type',
      /'file_search'/,
    );
  });

  it('unsupported items and parts name their type', () => {
    expectInvalid(
      { model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] },
      'input[0].type',
      /item_reference/,
    );
    expectInvalid(
      { model: 'm', input: [{ type: 'local_shell_call' }] },
      'input[0].type',
      /local_shell_call/,
    );
    expectInvalid(
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] },
      'input[0].content[0].type',
      /input_file/,
    );
    expectInvalid(
      { model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] },
      'input[0].call_id',
      /non-empty string/,
    );
    expectInvalid(
      { model: 'm', input: 'x', tool_choice: { type: 'web_search_preview' } },
      'tool_choice',
      /web_search_preview/,
    );
  });

  it('echoes text.format: the default without a text object, the client members kept with one', () => {
    expect(convert({ model: 'm', input: 'x' }).context.echo.text).toEqual({
      format: { type: 'text' },
    });
    expect(
      convert({ model: 'm', input: 'x', text: { verbosity: 'low' } }).context.echo.text,
    ).toEqual({ verbosity: 'low', format: { type: 'text' } });
    expect(
      convert({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } }).context.echo
        .text,
    ).toEqual({ format: { type: 'json_object' } });
  });
});

describe('createResponseId', () => {
  it('is resp_ and 32 hex digits, fresh across many pool refills, every digit in every place', () => {
    // 4,096 ids: the 4 KiB random pool is refilled 16 times
    const ids = Array.from({ length: 4096 }, () => createResponseId());
    for (const id of ids) expect(id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // 128 random bits: each of the 32 places takes all sixteen digits over this many ids
    for (let place = 5; place < 37; place++) {
      expect(new Set(ids.map((id) => id[place])).size).toBe(16);
    }
  });

  it('a convert without a given id makes one, different per request', () => {
    const request = parseResponsesRequest({ model: 'm', input: 'x' });
    const first = convertResponsesRequestToQwen({ request }).context.responseId;
    const second = convertResponsesRequestToQwen({ request }).context.responseId;
    expect(first).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(second).not.toBe(first);
  });
});
