import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectValidEventGrammar,
  parseResponsesEvents,
  readFinalResponse,
  runResponsesTransform,
} from '../../test/responses-helpers';
import { FIXTURE_NAMES, loadFixture, randomOffsets, splitAt } from '../../test/stream-helpers';
import {
  createResponsesStreamTransform,
  restoreResponsesStreamTransform,
} from './create-responses-stream-transform';

const encoder = new TextEncoder();

function sse(...chunks: Array<Record<string, unknown> | '[DONE]'>): Uint8Array {
  return encoder.encode(
    chunks
      .map((chunk) => `data: ${chunk === '[DONE]' ? chunk : JSON.stringify(chunk)}\n\n`)
      .join(''),
  );
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: 'chatcmpl-1',
    model: 'qwen3-coder-plus',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

const usageChunk = {
  id: 'chatcmpl-1',
  choices: [],
  usage: {
    prompt_tokens: 100,
    completion_tokens: 20,
    total_tokens: 120,
    prompt_tokens_details: { cached_tokens: 64 },
    completion_tokens_details: { reasoning_tokens: 7 },
  },
};

function run(
  bytes: Uint8Array,
  options: Parameters<typeof runResponsesTransform>[0] extends infer T ? Partial<T> : never = {},
) {
  const result = runResponsesTransform({ parts: [bytes], ...options });
  const events = parseResponsesEvents(result.text);
  expectValidEventGrammar(events);
  return { ...result, events, types: events.map((event) => event.type) };
}

describe('createResponsesStreamTransform', () => {
  it('streams reasoning, then text, with the documented event sequence and usage', () => {
    const { events, types, summary } = run(
      sse(
        chunk({ role: 'assistant', content: null, reasoning_content: '' }),
        chunk({ reasoning_content: 'Think' }),
        chunk({ reasoning_content: 'ing.' }),
        chunk({ content: 'Hel' }),
        chunk({ content: 'lo' }),
        chunk({}, 'stop'),
        usageChunk,
        '[DONE]',
      ),
    );
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const created = events[0] as unknown as { response: Record<string, unknown> };
    expect(created.response).toMatchObject({
      id: 'resp_test',
      status: 'in_progress',
      model: 'qwen3-coder-plus',
      output: [],
    });
    expect(events.find((event) => event.type === 'response.output_text.done')).toMatchObject({
      text: 'Hello',
    });
    expect(readFinalResponse(events)).toMatchObject({
      status: 'completed',
      model: 'qwen3-coder-plus',
      output: [
        {
          type: 'reasoning',
          id: 'rs_test_0',
          summary: [{ type: 'summary_text', text: 'Thinking.' }],
        },
        {
          type: 'message',
          id: 'msg_test_1',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Hello', annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 100,
        input_tokens_details: { cached_tokens: 64 },
        output_tokens: 20,
        output_tokens_details: { reasoning_tokens: 7 },
        total_tokens: 120,
      },
    });
    expect(summary).toMatchObject({
      endState: 'done',
      sawDone: true,
      usage: { prompt_tokens: 100 },
    });
  });

  it('turns the recorded Qwen tool-call stream into function_call items in index order', () => {
    const { events } = run(loadFixture('tool-calls'));
    const final = readFinalResponse(events);
    expect(final.status).toBe('completed');
    expect(final.output).toEqual([
      {
        type: 'function_call',
        id: 'fc_test_0',
        status: 'completed',
        call_id: 'call_4f1c9e2ab7d84c0f9a1e22',
        name: 'read_file',
        arguments: '{"path": "src/main.ts"}',
      },
      {
        type: 'function_call',
        id: 'fc_test_1',
        status: 'completed',
        call_id: 'call_9b2d7f00c1e34a5b8d6e11',
        name: 'grep',
        arguments: '{"pattern":"TODO","path":"src"}',
      },
    ]);
    const argumentEvents = events.filter((event) =>
      event.type.startsWith('response.function_call_arguments'),
    );
    expect(argumentEvents.map((event) => [event.type, event.output_index])).toEqual([
      ['response.function_call_arguments.delta', 0],
      ['response.function_call_arguments.done', 0],
      ['response.function_call_arguments.delta', 1],
      ['response.function_call_arguments.done', 1],
    ]);
    const added = events.find((event) => event.type === 'response.output_item.added');
    expect(added?.item).toMatchObject({
      status: 'in_progress',
      arguments: '',
      call_id: 'call_4f1c9e2ab7d84c0f9a1e22',
    });
  });

  it('runs tool calls through the shared repair stage: late ids kept, nameless calls named, index order', () => {
    const { events } = run(
      sse(
        chunk({ tool_calls: [{ index: 1, function: { name: 'second', arguments: '{}' } }] }),
        // a delta of another call ends call 1's hold: its id is synthesised, as chat does
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
        // call 0's next delta brings its id: kept; its name never comes: tool_0
        chunk({ tool_calls: [{ index: 0, id: 'call_late', function: { arguments: '1}' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 'call_too_late', function: { arguments: '' } }] }),
        chunk({}, 'stop'),
        '[DONE]',
      ),
    );
    expect(readFinalResponse(events).output).toEqual([
      expect.objectContaining({
        type: 'function_call',
        call_id: 'call_late',
        name: 'tool_0',
        arguments: '{"a":1}',
        status: 'completed',
      }),
      expect.objectContaining({ call_id: 'call_1_0_1', name: 'second', arguments: '{}' }),
    ]);
  });

  it('gathers calls still held at [DONE] when no finish reason came', () => {
    const { events, summary } = run(
      sse(
        chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '{"x":1}' } }] }),
        '[DONE]',
      ),
    );
    const final = readFinalResponse(events);
    expect(final.status).toBe('completed');
    expect(final.output).toEqual([
      expect.objectContaining({ call_id: 'call_1_0_0', name: 'f', arguments: '{"x":1}' }),
    ]);
    expect(summary.endState).toBe('done');
  });

  it('closes open items and completes when [DONE] comes without a finish reason', () => {
    const { events, summary } = run(sse(chunk({ content: 'partial answer' }), '[DONE]'));
    const final = readFinalResponse(events);
    expect(final.status).toBe('completed');
    expect(final.output).toEqual([
      expect.objectContaining({ type: 'message', status: 'completed' }),
    ]);
    expect(summary.endState).toBe('done');
  });

  it('completes at the end when the finish reason came but [DONE] did not', () => {
    const { events, summary } = run(sse(chunk({ content: 'hi' }), chunk({}, 'stop')));
    expect(readFinalResponse(events).status).toBe('completed');
    expect(summary).toMatchObject({ endState: 'done', sawDone: false });
  });

  it.each([
    ['length', 'max_output_tokens'],
    ['content_filter', 'content_filter'],
  ])(
    'finish_reason %s → response.incomplete (%s), partial calls never completed',
    (finishReason, reason) => {
      const { events } = run(
        sse(
          chunk({ content: 'Let me look' }),
          chunk({
            tool_calls: [
              { index: 0, id: 'call_1', function: { name: 'read_file', arguments: '{"pa' } },
            ],
          }),
          chunk({}, finishReason),
          '[DONE]',
        ),
      );
      const final = readFinalResponse(events);
      expect(events.at(-1)?.type).toBe('response.incomplete');
      expect(final).toMatchObject({ status: 'incomplete', incomplete_details: { reason } });
      const items = final.output as Array<{ status: string }>;
      expect(items.map((item) => item.status)).toEqual(['completed', 'incomplete']);
    },
  );

  it('a stream cut off mid-way ends with error then response.failed, never completing the partial call', () => {
    const { events, summary } = run(
      sse(
        chunk({ content: 'Working' }),
        chunk({
          tool_calls: [
            { index: 0, id: 'call_1', function: { name: 'read_file', arguments: '{"pa' } },
          ],
        }),
      ),
      {
        failure: {
          message: 'upstream stream ended before completion',
          type: 'upstream_error',
          code: 'stream_truncated',
          relayCode: 'QWEN_RELAY_STREAM_TRUNCATED',
        },
      },
    );
    const types = events.map((event) => event.type);
    expect(types.slice(-2)).toEqual(['error', 'response.failed']);
    expect(types).not.toContain('response.function_call_arguments.done');
    expect(events.at(-2)).toMatchObject({
      code: 'stream_truncated',
      message: 'upstream stream ended before completion',
    });
    expect(readFinalResponse(events)).toMatchObject({
      status: 'failed',
      error: { code: 'stream_truncated' },
      // the text was closed when the call began; the unfinished call is not reported at all
      output: [expect.objectContaining({ type: 'message', status: 'completed', id: 'msg_test_0' })],
    });
    expect(summary).toMatchObject({
      endState: 'incomplete',
      failureReported: true,
      error: { code: 'stream_truncated', relayCode: 'QWEN_RELAY_STREAM_TRUNCATED' },
    });
  });

  it('reports a truncation by itself when the caller gives no failure; an open text item is incomplete', () => {
    const { events } = run(sse(chunk({ content: 'x' })));
    expect(events.at(-2)).toMatchObject({ type: 'error', code: 'stream_truncated' });
    expect(readFinalResponse(events).output).toEqual([
      expect.objectContaining({ type: 'message', status: 'incomplete' }),
    ]);
  });

  it('an upstream error event mid-stream → error + response.failed, later input ignored', () => {
    const { events, summary } = run(loadFixture('mid-stream-error'));
    expect(events.at(-2)?.type).toBe('error');
    expect(events.at(-1)?.type).toBe('response.failed');
    expect(summary.endState).toBe('upstream-error');
    expect(summary.failureReported).toBeUndefined();
  });

  it('error_finish → error + response.failed', () => {
    const { events } = run(loadFixture('error-finish'));
    expect(events.map((event) => event.type).slice(-2)).toEqual(['error', 'response.failed']);
  });

  it('maps custom and namespaced tools back to their Responses shapes', () => {
    const context = createTestContext({
      toolNames: {
        custom: ['apply_patch'],
        namespaced: { mcp__docs__search: { namespace: 'mcp__docs', name: 'search' } },
      },
    });
    const { events } = run(
      sse(
        chunk({
          tool_calls: [
            {
              index: 0,
              id: 'call_p',
              function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch\\n"}' },
            },
          ],
        }),
        chunk({
          tool_calls: [
            {
              index: 1,
              id: 'call_s',
              function: { name: 'mcp__docs__search', arguments: '{"q":"x"}' },
            },
          ],
        }),
        chunk({}, 'tool_calls'),
        '[DONE]',
      ),
      { context },
    );
    expect(readFinalResponse(events).output).toEqual([
      {
        type: 'custom_tool_call',
        id: 'ctc_test_0',
        status: 'completed',
        call_id: 'call_p',
        name: 'apply_patch',
        input: '*** Begin Patch\n',
      },
      {
        type: 'function_call',
        id: 'fc_test_1',
        status: 'completed',
        call_id: 'call_s',
        name: 'search',
        namespace: 'mcp__docs',
        arguments: '{"q":"x"}',
      },
    ]);
    expect(events.map((event) => event.type)).toContain('response.custom_tool_call_input.done');
  });

  it.each(FIXTURE_NAMES)(
    '%s: every split of the upstream bytes gives the same events (property)',
    (name) => {
      const bytes = loadFixture(name);
      const reference = runResponsesTransform({ parts: [bytes] });
      expectValidEventGrammar(parseResponsesEvents(reference.text));
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 40 }),
          fc.boolean(),
          (offsets, restoreEachTime) => {
            const split = runResponsesTransform({
              parts: splitAt({ bytes, offsets }),
              restoreEachTime,
            });
            expect(split.text).toBe(reference.text);
            expect(split.summary).toEqual(reference.summary);
          },
        ),
        { numRuns: 150 },
      );
    },
  );

  it('byte-at-a-time gives the same events as one read', () => {
    const bytes = loadFixture('thinking');
    const reference = runResponsesTransform({ parts: [bytes] });
    const parts = splitAt({
      bytes,
      offsets: randomOffsets({ length: bytes.length, count: bytes.length, seed: 7 }),
    });
    expect(runResponsesTransform({ parts }).text).toBe(reference.text);
  });

  it('keepFinalResponse reports the terminal response in the summary, across worker hand-overs', () => {
    const bytes = sse(chunk({ content: 'Hel' }), chunk({ content: 'lo' }, 'stop'), '[DONE]');
    const plain = run(bytes);
    expect(plain.summary).not.toHaveProperty('response');
    let transform = createResponsesStreamTransform({
      context: createTestContext(),
      keepFinalResponse: true,
    });
    let text = '';
    const decoder = new TextDecoder();
    for (const part of splitAt({ bytes, offsets: [7, 40, 90] })) {
      text += decoder.decode(transform.transform(part));
      transform = restoreResponsesStreamTransform(structuredClone(transform.getState()));
    }
    const ended = transform.end();
    text += decoder.decode(ended.bytes);
    const final = readFinalResponse(parseResponsesEvents(text));
    expect(final).toMatchObject({ status: 'completed', output: [{ type: 'message' }] });
    expect(ended.summary.response).toEqual(final);
    // a failed stream keeps nothing
    const failed = createResponsesStreamTransform({
      context: createTestContext(),
      keepFinalResponse: true,
    });
    failed.transform(sse(chunk({ content: 'Hel' })));
    expect(failed.end().summary).not.toHaveProperty('response');
  });
});
