import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeQwen } from '../src/server/start-fake-qwen';
import type { FakeQwen } from '../src/types';
import { chatBody, parseChunks, postChat } from './helpers';

const CHUNK_KEYS = ['choices', 'object', 'usage', 'created', 'system_fingerprint', 'model', 'id'];
const READ_FILE_TOOL = {
  type: 'function',
  function: {
    name: 'read_file',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string' }, limit: { type: 'integer' } },
    },
  },
};
const LIST_TOOL = {
  type: 'function',
  function: { name: 'list_dir', parameters: { type: 'object' } },
};

let fake: FakeQwen;
let token: string;
beforeAll(async () => {
  fake = await startFakeQwen();
  token = fake.issueCredentials().access_token;
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.configure({
    stream: {
      chunkCount: 8,
      chunkSize: 6,
      combinedFinalChunk: false,
      chunkDelayInMs: 0,
      reasoningChunkCount: 8,
    },
  });
  fake.configure({
    strictQuirks: {
      systemMustBeArray: false,
      userTextMustBeString: false,
      rejectEmptyTools: false,
      rejectThinkingWithoutStream: false,
    },
  });
});

async function stream(extra: Record<string, unknown>) {
  const response = await postChat(fake, { token, body: chatBody({ stream: true, ...extra }) });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return parseChunks(await response.text());
}

type Choice = { delta: Record<string, unknown>; finish_reason: unknown; index: number };
const choiceOf = (chunk: Record<string, unknown>): Choice => (chunk.choices as Choice[])[0]!;

describe('non-streaming chat', () => {
  it('answers the docs/qwen-upstream.md §2.5 shape with the alias resolved', async () => {
    const response = await postChat(fake, { token, body: chatBody({ stream: false }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(CHUNK_KEYS);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'qwen3.6-plus',
      system_fingerprint: null,
    });
    expect(body.id).toMatch(/^chatcmpl-[0-9a-f-]{36}$/);
    const [choice] = body.choices as Array<Record<string, unknown>>;
    expect(Object.keys(choice!)).toEqual(['message', 'finish_reason', 'index', 'logprobs']);
    expect(choice!.message).toEqual({
      role: 'assistant',
      content: expect.stringMatching(/^Hello/),
    });
    expect((choice!.message as { content: string }).content).toHaveLength(48);
    expect(choice!.finish_reason).toBe('stop');
    expect(body.usage).toMatchObject({
      completion_tokens: 8,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it('echoes unknown models unchanged and maps vision-model; honours configured aliases', async () => {
    const plain = (await (
      await postChat(fake, { token, body: chatBody({ model: 'qwen3-coder-plus' }) })
    ).json()) as {
      model: string;
    };
    expect(plain.model).toBe('qwen3-coder-plus');
    const vision = (await (
      await postChat(fake, { token, body: chatBody({ model: 'vision-model' }) })
    ).json()) as {
      model: string;
    };
    expect(vision.model).toBe('qwen3-vl-plus');
    fake.configure({ modelAliases: { 'coder-model': 'qwen3.7-max' } });
    const custom = (await (await postChat(fake, { token, body: chatBody() })).json()) as {
      model: string;
    };
    expect(custom.model).toBe('qwen3.7-max');
    fake.configure({
      modelAliases: { 'coder-model': 'qwen3.6-plus', 'vision-model': 'qwen3-vl-plus' },
    });
  });

  it('includes reasoning_content and reasoning usage when thinking is on', async () => {
    const body = (await (
      await postChat(fake, { token, body: chatBody({ enable_thinking: true }) })
    ).json()) as {
      choices: Array<{ message: Record<string, unknown> }>;
      usage: Record<string, unknown>;
    };
    expect(Object.keys(body.choices[0]!.message)).toEqual(['role', 'content', 'reasoning_content']);
    expect(body.usage.completion_tokens_details).toEqual({ reasoning_tokens: 8, text_tokens: 8 });
  });

  it('returns tool_calls with JSON arguments built from the schema', async () => {
    const body = (await (
      await postChat(fake, { token, body: chatBody({ tools: [READ_FILE_TOOL] }) })
    ).json()) as {
      choices: Array<{
        message: { tool_calls: Array<Record<string, unknown>> };
        finish_reason: string;
      }>;
    };
    const [choice] = body.choices;
    expect(choice!.finish_reason).toBe('tool_calls');
    expect(choice!.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_[0-9a-f]+$/),
        type: 'function',
        function: { name: 'read_file', arguments: '{"path":"example","limit":1}' },
      },
    ]);
  });

  it.each([
    [0, 400],
    [65_537, 400],
    [1.5, 400],
    [65_536, 200],
    [1, 200],
  ])('range-checks max_tokens=%s → %i', async (maxTokens, status) => {
    const response = await postChat(fake, { token, body: chatBody({ max_tokens: maxTokens }) });
    expect(response.status).toBe(status);
    if (status === 400) {
      expect(await response.json()).toMatchObject({
        error: {
          code: 'invalid_parameter_error',
          param: null,
          message: 'Range of max_tokens should be [1, 65536]',
          type: 'invalid_request_error',
        },
      });
    }
  });

  it('400s malformed bodies', async () => {
    for (const body of [
      { messages: [] },
      { model: 'coder-model', messages: [] },
      { model: 'coder-model' },
    ]) {
      const response = await postChat(fake, { token, body });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_parameter_error' } });
    }
    const notJson = await fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
  });

  it('applies the strict quirks only when switched on', async () => {
    const system = chatBody({
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'hi' },
      ],
    });
    const arrayUser = chatBody({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
    const emptyTools = chatBody({ tools: [] });
    const thinking = chatBody({ enable_thinking: true, stream: false });
    for (const body of [system, arrayUser, emptyTools, thinking]) {
      expect((await postChat(fake, { token, body })).status).toBe(200);
    }
    fake.configure({
      strictQuirks: {
        systemMustBeArray: true,
        userTextMustBeString: true,
        rejectEmptyTools: true,
        rejectThinkingWithoutStream: true,
      },
    });
    for (const body of [system, arrayUser, emptyTools, thinking]) {
      const response = await postChat(fake, { token, body });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 'invalid_parameter_error', type: 'invalid_request_error' },
      });
    }
    const wrapped = chatBody({
      messages: [
        {
          role: 'system',
          content: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }],
        },
        { role: 'user', content: 'hi' },
      ],
    });
    expect((await postChat(fake, { token, body: wrapped })).status).toBe(200);
  });
});

describe('streaming chat (docs/qwen-upstream.md §2.6)', () => {
  it('streams a plain text reply with exact chunk shapes and no usage unless asked', async () => {
    const chunks = await stream({});
    expect(chunks).toHaveLength(1 + 8 + 1);
    const [first] = chunks;
    for (const chunk of chunks) {
      expect(Object.keys(chunk)).toEqual(CHUNK_KEYS);
      expect(chunk).toMatchObject({
        object: 'chat.completion.chunk',
        usage: null,
        system_fingerprint: null,
        model: 'qwen3.6-plus',
      });
      expect(chunk.id).toBe(first!.id);
      expect(chunk.created).toBe(first!.created);
    }
    expect(choiceOf(first!)).toEqual({
      delta: { content: '', role: 'assistant' },
      index: 0,
      logprobs: null,
      finish_reason: null,
    });
    const contentChunks = chunks.slice(1, -1);
    for (const chunk of contentChunks) {
      expect(Object.keys(choiceOf(chunk))).toEqual(['finish_reason', 'logprobs', 'delta', 'index']);
      expect(Object.keys(choiceOf(chunk).delta)).toEqual(['content']);
    }
    expect(contentChunks.map((chunk) => choiceOf(chunk).delta.content).join('')).toBe(
      'Hello from the fake Qwen upstream. Hello from th',
    );
    expect(choiceOf(chunks.at(-1)!)).toEqual({
      finish_reason: 'stop',
      delta: { content: '' },
      index: 0,
      logprobs: null,
    });
  });

  it('adds the usage chunk (choices: []) only with stream_options.include_usage', async () => {
    const chunks = await stream({ stream_options: { include_usage: true } });
    expect(chunks).toHaveLength(11);
    const usageChunk = chunks.at(-1)!;
    expect(Object.keys(usageChunk)).toEqual(CHUNK_KEYS);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({
      completion_tokens: 8,
      total_tokens: expect.any(Number),
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(choiceOf(chunks.at(-2)!).finish_reason).toBe('stop');
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    const off = await stream({ stream_options: { include_usage: false } });
    expect(off.every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('merges finish and usage in one chunk in combinedFinalChunk mode', async () => {
    fake.configure({ stream: { combinedFinalChunk: true } });
    const chunks = await stream({ stream_options: { include_usage: true } });
    expect(chunks).toHaveLength(10);
    const last = chunks.at(-1)!;
    expect(choiceOf(last).finish_reason).toBe('stop');
    expect(last.usage).toMatchObject({ completion_tokens: 8 });
    const withoutUsage = await stream({});
    expect(withoutUsage.at(-1)!.usage).toBeNull();
  });

  it('honours chunkCount and chunkSize', async () => {
    fake.configure({ stream: { chunkCount: 3, chunkSize: 2 } });
    const chunks = await stream({});
    expect(chunks.slice(1, -1).map((chunk) => choiceOf(chunk).delta.content)).toEqual([
      'He',
      'll',
      'o ',
    ]);
  });

  it('streams reasoning first (content null), then content (reasoning_content null)', async () => {
    fake.configure({ stream: { chunkCount: 3, reasoningChunkCount: 2 } });
    const chunks = await stream({ enable_thinking: true, stream_options: { include_usage: true } });
    expect(choiceOf(chunks[0]!).delta).toEqual({
      content: null,
      role: 'assistant',
      reasoning_content: '',
    });
    const reasoning = chunks.slice(1, 3).map((chunk) => choiceOf(chunk).delta);
    for (const delta of reasoning) {
      expect(Object.keys(delta)).toEqual(['content', 'reasoning_content']);
      expect(delta.content).toBeNull();
      expect(delta.reasoning_content).toEqual(expect.any(String));
    }
    const content = chunks.slice(3, 6).map((chunk) => choiceOf(chunk).delta);
    for (const delta of content) {
      expect(delta.reasoning_content).toBeNull();
      expect(delta.content).toEqual(expect.any(String));
    }
    expect(chunks.at(-1)!.usage).toMatchObject({
      completion_tokens_details: { reasoning_tokens: 2, text_tokens: 3 },
    });
  });

  it('streams tool calls with the "id":"" + repeated type continuation quirk', async () => {
    const chunks = await stream({
      tools: [READ_FILE_TOOL, LIST_TOOL],
      stream_options: { include_usage: true },
    });
    const first = choiceOf(chunks[0]!);
    expect(Object.keys(first)).toEqual(['delta', 'finish_reason', 'index', 'logprobs']);
    expect(Object.keys(first.delta)).toEqual(['content', 'tool_calls', 'role']);
    const [call] = first.delta.tool_calls as Array<Record<string, unknown>>;
    expect(Object.keys(call!)).toEqual(['index', 'id', 'type', 'function']);
    expect(call).toMatchObject({
      index: 0,
      id: expect.stringMatching(/^call_/),
      type: 'function',
      function: { name: 'read_file' },
    });
    const continuations = chunks.slice(1, -2);
    expect(continuations.length).toBeGreaterThan(0);
    let argumentsText = (call!.function as { arguments: string }).arguments;
    for (const chunk of continuations) {
      const choice = choiceOf(chunk);
      expect(Object.keys(choice)).toEqual(['delta', 'index']);
      const [continuation] = choice.delta.tool_calls as Array<Record<string, unknown>>;
      expect(Object.keys(continuation!)).toEqual(['function', 'index', 'id', 'type']);
      expect(continuation).toMatchObject({ index: 0, id: '', type: 'function' });
      expect(Object.keys(continuation!.function as object)).toEqual(['arguments']);
      argumentsText += (continuation!.function as { arguments: string }).arguments;
    }
    expect(JSON.parse(argumentsText)).toEqual({ path: 'example', limit: 1 });
    expect(choiceOf(chunks.at(-2)!)).toEqual({
      finish_reason: 'tool_calls',
      delta: {},
      index: 0,
      logprobs: null,
    });
  });

  it('calls the first two tools (index 0 and 1) with tool_choice "required", the named one for a function choice', async () => {
    const required = await stream({ tools: [READ_FILE_TOOL, LIST_TOOL], tool_choice: 'required' });
    const starts = required
      .map((chunk) => choiceOf(chunk).delta)
      .filter((delta) => (delta.tool_calls as Array<{ id: string }> | undefined)?.[0]?.id);
    expect(
      starts.map((delta) => {
        const [call] = delta.tool_calls as Array<{ index: number; function: { name: string } }>;
        return [call!.index, call!.function.name, 'role' in delta];
      }),
    ).toEqual([
      [0, 'read_file', true],
      [1, 'list_dir', false],
    ]);
    const named = await stream({
      tools: [READ_FILE_TOOL, LIST_TOOL],
      tool_choice: { type: 'function', function: { name: 'list_dir' } },
    });
    const namedCall = (
      choiceOf(named[0]!).delta.tool_calls as Array<{ function: { name: string } }>
    )[0]!;
    expect(namedCall.function.name).toBe('list_dir');
    const none = await stream({ tools: [READ_FILE_TOOL], tool_choice: 'none' });
    expect(choiceOf(none.at(-1)!).finish_reason).toBe('stop');
  });

  it('streams reasoning before tool calls, with role only on the first chunk', async () => {
    fake.configure({ stream: { reasoningChunkCount: 1 } });
    const chunks = await stream({ enable_thinking: true, tools: [READ_FILE_TOOL] });
    expect(choiceOf(chunks[1]!).delta.reasoning_content).toEqual(expect.any(String));
    const toolStart = choiceOf(chunks[2]!).delta;
    expect(Object.keys(toolStart)).toEqual(['content', 'tool_calls']);
  });

  it('reproduces the reported variations: finish "stop" after tool calls, and an empty function chunk', async () => {
    fake.configure({ stream: { toolCallsFinishReason: 'stop', emptyFunctionChunk: true } });
    try {
      const chunks = await stream({ tools: [LIST_TOOL] });
      expect(choiceOf(chunks.at(-1)!)).toEqual({
        finish_reason: 'stop',
        delta: {},
        index: 0,
        logprobs: null,
      });
      const [emptyCall] = choiceOf(chunks[1]!).delta.tool_calls as Array<Record<string, unknown>>;
      expect(emptyCall).toEqual({ function: {}, index: 0, id: '', type: 'function' });
    } finally {
      fake.configure({
        stream: { toolCallsFinishReason: 'tool_calls', emptyFunctionChunk: false },
      });
    }
  });
});
