import { describe, expect, it } from 'vitest';
import {
  assembleChunks,
  FIXTURE_NAMES,
  loadFixture,
  parseEvents,
  randomOffsets,
  runTransform,
  splitAt,
} from '../../test/stream-helpers';
import { createChatStreamTransform } from './create-chat-stream-transform';

const encoder = new TextEncoder();
const everyByte = (bytes: Uint8Array): number[] =>
  Array.from({ length: bytes.length }, (_, index) => index);

describe('createChatStreamTransform on recorded streams', () => {
  describe.each(FIXTURE_NAMES)('%s', (name) => {
    const bytes = loadFixture(name);
    const whole = runTransform({ parts: [bytes], includeUsage: true });

    it('gives the same bytes and summary one byte at a time', () => {
      const byByte = runTransform({
        parts: splitAt({ bytes, offsets: everyByte(bytes) }),
        includeUsage: true,
      });
      expect(byByte.text).toBe(whole.text);
      expect(byByte.summary).toEqual(whole.summary);
    });

    it('gives the same bytes at 25 random sets of split points', () => {
      for (let seed = 1; seed <= 25; seed++) {
        const offsets = randomOffsets({ length: bytes.length, count: 1 + (seed % 9), seed });
        const split = runTransform({ parts: splitAt({ bytes, offsets }), includeUsage: true });
        expect(split.text, `seed ${seed}`).toBe(whole.text);
        expect(split.summary).toEqual(whole.summary);
      }
    });

    it('gives the same bytes when the state crosses structuredClone after every read', () => {
      const offsets = randomOffsets({ length: bytes.length, count: 40, seed: 7 });
      const restored = runTransform({
        parts: splitAt({ bytes, offsets }),
        includeUsage: true,
        restoreEachTime: true,
      });
      expect(restored.text).toBe(whole.text);
      expect(restored.summary).toEqual(whole.summary);
    });

    it('emits well-formed OpenAI SSE with the client model in every chunk', () => {
      const events = parseEvents(whole.text);
      for (const event of events) {
        if (event === '[DONE]' || (event as { error?: unknown }).error) continue;
        expect(event).toMatchObject({ object: 'chat.completion.chunk', model: 'coder-model' });
      }
    });
  });

  it('plain text: content assembled, usage forwarded only when asked, captured either way', () => {
    const bytes = loadFixture('plain-text');
    const withUsage = runTransform({ parts: [bytes], includeUsage: true });
    const withoutUsage = runTransform({ parts: [bytes], includeUsage: false });
    const assembled = assembleChunks(parseEvents(withUsage.text)).get(0);
    expect(assembled?.content).toBe('Hello  there! Ünïcödé ✓ works — 日本語も。');
    expect(assembled?.finishReason).toBe('stop');

    const usageChunks = (text: string) =>
      parseEvents(text).filter(
        (event) => event !== '[DONE]' && (event as { usage: unknown }).usage,
      );
    expect(usageChunks(withUsage.text)).toEqual([
      expect.objectContaining({
        choices: [],
        usage: {
          prompt_tokens: 42,
          completion_tokens: 9,
          total_tokens: 51,
          prompt_tokens_details: { cached_tokens: 0 },
        },
      }),
    ]);
    expect(usageChunks(withoutUsage.text)).toEqual([]);
    expect(withoutUsage.summary).toEqual({
      endState: 'done',
      sawDone: true,
      chunkCount: 8,
      // what the upstream named before the rewrite to the client's model, for traces
      upstreamModel: 'qwen3.6-plus',
      finishReasons: ['stop'],
      usage: {
        prompt_tokens: 42,
        completion_tokens: 9,
        total_tokens: 51,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    });
    expect(withoutUsage.text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('keeps untouched chunks byte-identical except for the model', () => {
    const bytes = loadFixture('plain-text');
    const upstream = new TextDecoder()
      .decode(bytes)
      .replaceAll('"model":"qwen3.6-plus"', '"model":"coder-model"');
    expect(runTransform({ parts: [bytes], includeUsage: true }).text).toBe(upstream);
  });

  it('CRLF framing gives exactly the LF output', () => {
    expect(runTransform({ parts: [loadFixture('plain-text-crlf')] }).text).toBe(
      runTransform({ parts: [loadFixture('plain-text')] }).text,
    );
  });

  it('thinking: reasoning_content kept and streamed before the content', () => {
    const { text, summary } = runTransform({ parts: [loadFixture('thinking')] });
    const assembled = assembleChunks(parseEvents(text)).get(0);
    expect(assembled?.reasoning).toBe('Compare both options; A is O(n²) and B is O(n log n).');
    expect(assembled?.content).toBe('Option B.\nIt scales better.');
    expect(assembled?.sequence).toEqual(['reasoning', 'content']);
    expect(summary.usage?.completion_tokens_details).toEqual({
      reasoning_tokens: 30,
      text_tokens: 18,
    });
    expect(summary.usage?.prompt_tokens_details?.cached_tokens).toBe(64);
  });

  it('tool calls: the id:"" quirk is repaired into two clean calls', () => {
    const { text } = runTransform({ parts: [loadFixture('tool-calls')] });
    const events = parseEvents(text);
    const assembled = assembleChunks(events).get(0);
    expect(assembled?.toolCalls).toEqual([
      {
        id: 'call_4f1c9e2ab7d84c0f9a1e22',
        type: 'function',
        name: 'read_file',
        arguments: '{"path": "src/main.ts"}',
      },
      {
        id: 'call_9b2d7f00c1e34a5b8d6e11',
        type: 'function',
        name: 'grep',
        arguments: '{"pattern":"TODO","path":"src"}',
      },
    ]);
    for (const call of assembled?.toolCalls ?? [])
      expect(() => JSON.parse(call.arguments)).not.toThrow();
    expect(assembled?.finishReason).toBe('tool_calls');
    // continuation deltas carry exactly index + arguments, like OpenAI's
    const continuations = events.flatMap((event) =>
      event === '[DONE]'
        ? []
        : (
            event as { choices: Array<{ delta: { tool_calls?: Array<Record<string, unknown>> } }> }
          ).choices.flatMap((choice) =>
            (choice.delta.tool_calls ?? []).filter((call) => !('id' in call)),
          ),
    );
    expect(continuations).toEqual([
      { index: 0, function: { arguments: ' "src/main.ts"' } },
      { index: 0, function: { arguments: '}' } },
      { index: 1, function: { arguments: '{"pattern":"TODO",' } },
      { index: 1, function: { arguments: '"path":"src"}' } },
    ]);
  });

  it('combined final chunk: stop becomes tool_calls and usage moves to its own chunk', () => {
    const bytes = loadFixture('combined-final-chunk');
    const withUsage = parseEvents(runTransform({ parts: [bytes], includeUsage: true }).text);
    const withoutUsage = parseEvents(runTransform({ parts: [bytes], includeUsage: false }).text);
    expect(withUsage.slice(-3)).toEqual([
      expect.objectContaining({
        choices: [expect.objectContaining({ finish_reason: 'tool_calls' })],
        usage: null,
      }),
      expect.objectContaining({
        choices: [],
        usage: expect.objectContaining({ total_tokens: 320 }),
      }),
      '[DONE]',
    ]);
    expect(withoutUsage.slice(-2)).toEqual([
      expect.objectContaining({
        choices: [expect.objectContaining({ finish_reason: 'tool_calls' })],
        usage: null,
      }),
      '[DONE]',
    ]);
    const result = runTransform({ parts: [bytes] });
    expect(result.summary.usage?.total_tokens).toBe(320);
    expect(assembleChunks(withoutUsage).get(0)).toMatchObject({
      content: 'Let me check.',
      toolCalls: [{ id: 'call_0a1b2c3d4e5f', name: 'list_dir', arguments: '{"path":"."}' }],
    });
  });

  it('mid-stream error event: becomes the final OpenAI error event, no [DONE]', () => {
    const { text, summary } = runTransform({ parts: [loadFixture('mid-stream-error')] });
    const events = parseEvents(text);
    expect(events.at(-1)).toEqual({
      error: {
        message: 'Output data may contain inappropriate content.',
        type: 'data_inspection_failed',
        param: null,
        code: 'data_inspection_failed',
      },
    });
    expect(events).not.toContain('[DONE]');
    expect(assembleChunks(events).get(0)?.content).toBe('Sure, here is');
    expect(summary).toEqual({
      endState: 'upstream-error',
      sawDone: false,
      chunkCount: 3,
      error: {
        message: 'Output data may contain inappropriate content.',
        type: 'data_inspection_failed',
        code: 'data_inspection_failed',
        relayCode: 'QWEN_RELAY_UPSTREAM_STREAM_ERROR',
      },
    });
  });

  it('error_finish: the error text is not shown as content; a rate-limit error event ends the stream', () => {
    const { text, summary } = runTransform({ parts: [loadFixture('error-finish')] });
    const events = parseEvents(text);
    expect(assembleChunks(events).get(0)?.content).toBe('Partial');
    expect(events.at(-1)).toEqual({
      error: {
        message: 'Requests throttling triggered: TPM limit reached, please retry later.',
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    expect(events).not.toContain('[DONE]');
    expect(summary.endState).toBe('upstream-error');
    expect(summary.sawDone).toBe(false);
  });

  it('multi-line data fields are joined with a newline', () => {
    const { text } = runTransform({ parts: [loadFixture('multi-line-data')] });
    expect(assembleChunks(parseEvents(text)).get(0)?.content).toBe('multi\nline');
  });
});

describe('createChatStreamTransform edge cases', () => {
  const chunkLine = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
    `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }], model: 'qwen3.6-plus', id: 'chatcmpl-x', ...extra })}\n\n`;

  it('a truncated stream ends incomplete, drops a half event and invents no error', () => {
    const bytes = loadFixture('plain-text');
    const cut = bytes.slice(0, bytes.length - 200);
    const { text, summary } = runTransform({ parts: [cut] });
    expect(summary.endState).toBe('incomplete');
    expect(summary.sawDone).toBe(false);
    expect(text).not.toContain('"error"');
    expect(text).not.toContain('[DONE]');
  });

  it('a last event without its blank line is still delivered', () => {
    const { text, summary } = runTransform({
      parts: [encoder.encode(`${chunkLine({ content: 'hi' })}data: [DONE]`)],
    });
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(summary.endState).toBe('done');
  });

  it('ignores everything after [DONE]', () => {
    const { text } = runTransform({
      parts: [encoder.encode(`data: [DONE]\n\n${chunkLine({ content: 'late' })}`)],
    });
    expect(text).toBe('data: [DONE]\n\n');
  });

  it('a non-JSON event is an upstream_bad_response error event', () => {
    const { text, summary } = runTransform({
      parts: [encoder.encode('data: {"choices":[{"delta":{"content":"unterminated\n\n')],
    });
    expect(parseEvents(text)).toEqual([
      { error: expect.objectContaining({ type: 'upstream_error', code: 'upstream_bad_response' }) },
    ]);
    expect(summary.error?.relayCode).toBe('QWEN_RELAY_UPSTREAM_BAD_RESPONSE');
  });

  it('a line over maxLineBytes is a typed error at the same place for any split', () => {
    const bytes = encoder.encode(
      `${chunkLine({ content: 'ok' })}${chunkLine({ content: 'x'.repeat(5000) })}data: [DONE]\n\n`,
    );
    const whole = runTransform({ parts: [bytes], maxLineBytes: 1024 });
    const byByte = runTransform({
      parts: splitAt({ bytes, offsets: everyByte(bytes) }),
      maxLineBytes: 1024,
    });
    expect(byByte.text).toBe(whole.text);
    const events = parseEvents(whole.text);
    expect(assembleChunks(events).get(0)?.content).toBe('ok');
    expect(events.at(-1)).toEqual({
      error: {
        message: 'upstream SSE line exceeds 1024 bytes',
        type: 'upstream_error',
        param: null,
        code: 'upstream_bad_response',
      },
    });
    expect(whole.summary.endState).toBe('upstream-error');
  });

  it('keeps the arguments of a first delta without id or name, and synthesises a missing id', () => {
    const bytes = encoder.encode(
      chunkLine({
        tool_calls: [{ index: 0, id: '', type: 'function', function: { arguments: '{"lost":' } }],
      }) +
        chunkLine({
          tool_calls: [
            { index: 0, id: '', type: 'function', function: { name: 'run', arguments: '{' } },
          ],
        }) +
        chunkLine({
          tool_calls: [{ index: 0, id: '', type: 'function', function: { arguments: '}' } }],
        }) +
        'data: [DONE]\n\n',
    );
    const events = parseEvents(runTransform({ parts: [bytes] }).text);
    expect(assembleChunks(events).get(0)?.toolCalls).toEqual([
      { id: 'call_x_0_0', type: 'function', name: 'run', arguments: '{"lost":{}' },
    ]);
  });

  it('never starts a phantom call: a delta with no id, no name and no arguments', () => {
    const bytes = encoder.encode(
      chunkLine({ tool_calls: [{ index: 0, id: '', type: 'function', function: {} }] }) +
        chunkLine({ content: 'no call after all' }) +
        'data: [DONE]\n\n',
    );
    const events = parseEvents(runTransform({ parts: [bytes] }).text);
    expect(assembleChunks(events).get(0)?.toolCalls).toEqual([]);
  });

  it('reasoning and content interleave in upstream order, also within one chunk', () => {
    const bytes = encoder.encode(
      chunkLine({ role: 'assistant', reasoning_content: 'think 1', content: null }) +
        chunkLine({ reasoning_content: ' think 2', content: 'say 1' }) +
        chunkLine({ content: ' say 2', reasoning_content: null }) +
        chunkLine({ reasoning_content: ' think 3' }) +
        chunkLine({ content: ' say 3' }) +
        'data: [DONE]\n\n',
    );
    const assembled = assembleChunks(parseEvents(runTransform({ parts: [bytes] }).text)).get(0);
    expect(assembled).toMatchObject({
      reasoning: 'think 1 think 2 think 3',
      content: 'say 1 say 2 say 3',
      sequence: ['reasoning', 'content', 'reasoning', 'content'],
    });
  });

  it('an `event: error` SSE event is an upstream error too', () => {
    const bytes = encoder.encode(
      'event: error\ndata: {"message":"quota gone","type":"insufficient_quota","code":"insufficient_quota"}\n\n',
    );
    const { text, summary } = runTransform({ parts: [bytes] });
    expect(parseEvents(text)).toEqual([
      {
        error: {
          message: 'quota gone',
          type: 'insufficient_quota',
          param: null,
          code: 'insufficient_quota',
        },
      },
    ]);
    expect(summary.endState).toBe('upstream-error');
  });

  it('getState is small and structured-clone-able mid-line', () => {
    const transform = createChatStreamTransform({ clientModel: 'coder-model', includeUsage: true });
    const bytes = loadFixture('tool-calls');
    transform.transform(bytes.slice(0, 700));
    const state = transform.getState();
    expect(state.pendingLineBytes?.length).toBeGreaterThan(0);
    expect(structuredClone(state)).toEqual(state);
    expect(state.startedToolCalls).toEqual(['0:0']);
    expect(JSON.stringify({ ...state, pendingLineBytes: null }).length).toBeLessThan(400);
  });

  it('getState returns a copy that later reads do not change', () => {
    const transform = createChatStreamTransform({ clientModel: 'm', includeUsage: false });
    const state = transform.getState();
    transform.transform(loadFixture('tool-calls'));
    expect(state.startedToolCalls).toEqual([]);
    expect(state.chunkCount).toBe(0);
  });
});
