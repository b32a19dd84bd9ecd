import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseResponsesEvents } from '../../test/responses-helpers';
import { decodeAll, splitAt } from '../../test/stream-helpers';
import {
  createResponsesPassthroughState,
  createResponsesPassthroughTransform,
  restoreResponsesPassthroughTransform,
} from './create-responses-passthrough-transform';

const encoder = new TextEncoder();

function event(type: string, sequenceNumber: number, fields: Record<string, unknown> = {}): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: sequenceNumber })}\n\n`;
}

const response = {
  id: 'resp_native',
  object: 'response',
  status: 'in_progress',
  model: 'qwen3.5-plus',
  output: [],
};
const head =
  event('response.created', 0, { response }) +
  event('response.in_progress', 1, { response }) +
  event('response.output_item.added', 2, {
    output_index: 0,
    item: { id: 'msg_1', type: 'message', content: [] },
  }) +
  event('response.output_text.delta', 3, {
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    delta: 'Hi',
  });
const completed = event('response.completed', 4, {
  response: {
    ...response,
    status: 'completed',
    usage: { input_tokens: 3, output_tokens: 1, total_tokens: 4 },
  },
});

function run(parts: Uint8Array[], restoreEachTime = false) {
  let transform = createResponsesPassthroughTransform();
  const outputs: Uint8Array[] = [];
  for (const part of parts) {
    outputs.push(transform.transform(part));
    if (restoreEachTime)
      transform = restoreResponsesPassthroughTransform(structuredClone(transform.getState()));
  }
  const ended = transform.end({
    failure: {
      message: 'socket hang up',
      type: 'upstream_error',
      code: 'upstream_connection_failed',
    },
  });
  outputs.push(ended.bytes);
  return { text: decodeAll(outputs), summary: ended.summary };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createResponsesPassthroughTransform', () => {
  it('forwards a finished native stream byte for byte and reports its usage', () => {
    const bytes = encoder.encode(head + completed);
    const { text, summary } = run([bytes]);
    expect(text).toBe(head + completed);
    expect(summary).toMatchObject({
      endState: 'done',
      usage: { prompt_tokens: 3, completion_tokens: 1 },
    });
  });

  it('a native stream that breaks ends with error + response.failed, numbering continued', () => {
    const { text, summary } = run([encoder.encode(head)]);
    const events = parseResponsesEvents(text);
    expect(events.map((item) => item.sequence_number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(events.slice(-2)).toMatchObject([
      { type: 'error', code: 'upstream_connection_failed', message: 'socket hang up' },
      {
        type: 'response.failed',
        response: {
          id: 'resp_native',
          status: 'failed',
          error: { code: 'upstream_connection_failed' },
        },
      },
    ]);
    expect(summary).toMatchObject({ endState: 'incomplete', failureReported: true });
  });

  it('reads no response.created or response.in_progress of a stream that completes', () => {
    // what an OpenAI-style host echoes in them: the request's instructions and tools
    const echoed = {
      ...response,
      instructions: 'You are a coding agent. '.repeat(500),
      tools: [{ type: 'function', name: 'shell', parameters: { type: 'object' } }],
    };
    const started =
      event('response.created', 0, { response: echoed }) +
      event('response.in_progress', 1, { response: echoed });
    const rest = head.slice(head.indexOf('event: response.output_item.added'));
    const parse = vi.spyOn(JSON, 'parse');
    const { text, summary } = run([encoder.encode(started + rest + completed)]);
    const parsed = parse.mock.calls.map(([argument]) => String(argument));
    expect(
      parsed.filter((argument) => /^\{"type":"response\.(created|in_progress)"/.test(argument)),
    ).toEqual([]);
    expect(text).toBe(started + rest + completed);
    expect(summary).toMatchObject({ endState: 'done', chunkCount: 5 });
  });

  it("a broken stream's response.failed carries the last started response, whatever its layout", () => {
    const spaced = (type: string, sequenceNumber: number, id: string) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, response: { ...response, id }, sequence_number: sequenceNumber }, null, 1).replaceAll('\n', '')}\n\n`;
    const compact = (type: string, sequenceNumber: number, id: string) =>
      event(type, sequenceNumber, { response: { ...response, id } });
    const cases = [
      {
        upstream: compact('response.created', 0, 'a') + compact('response.in_progress', 1, 'b'),
        id: 'b',
      },
      {
        upstream: compact('response.created', 0, 'a') + spaced('response.in_progress', 1, 'b'),
        id: 'b',
      },
      {
        upstream: spaced('response.created', 0, 'a') + compact('response.in_progress', 1, 'b'),
        id: 'b',
      },
      { upstream: spaced('response.created', 0, 'a'), id: 'a' },
      { upstream: compact('response.created', 0, 'a'), id: 'a' },
    ];
    for (const { upstream, id } of cases) {
      for (const restore of [false, true]) {
        const { text } = run(splitAt({ bytes: encoder.encode(upstream), offsets: [40] }), restore);
        const failed = parseResponsesEvents(text).at(-1);
        expect(failed).toMatchObject({
          type: 'response.failed',
          response: { id, status: 'failed', output: [], model: 'qwen3.5-plus' },
        });
      }
    }
  });

  it('a malformed response.in_progress of the kept layout is counted; the failure keeps the response before it', () => {
    const malformed =
      'event: response.in_progress\ndata: {"type":"response.in_progress","response":{"id":"b",},"sequence_number":1}\n\n';
    const created = `event: response.created\ndata: ${JSON.stringify({ type: 'response.created', response }, null, 1).replaceAll('\n', '')}\n\n`;
    const { text, summary } = run([encoder.encode(created + malformed)]);
    const events = parseResponsesEvents(text.slice(created.length + malformed.length));
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      sequence_number: 3,
      response: { id: 'resp_native', status: 'failed' },
    });
    expect(summary.chunkCount).toBe(2);
  });

  it('an upstream error event ends the stream as the upstream said, nothing added', () => {
    const failed = event('response.failed', 4, {
      response: { ...response, status: 'failed', error: { code: 'server_error', message: 'boom' } },
    });
    const { text, summary } = run([encoder.encode(head + failed)]);
    expect(text).toBe(head + failed);
    expect(summary).toMatchObject({
      endState: 'upstream-error',
      error: { code: 'server_error', message: 'boom' },
    });
  });

  it('any split and any state hand-over gives the same bytes and summary (property)', () => {
    for (const body of [head + completed, head]) {
      const bytes = encoder.encode(body);
      const reference = run([bytes]);
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 30 }),
          fc.boolean(),
          (offsets, restore) => {
            const split = run(splitAt({ bytes, offsets }), restore);
            expect(split.text).toBe(reference.text);
            expect(split.summary).toEqual(reference.summary);
          },
        ),
        { numRuns: 100 },
      );
    }
  });

  it('an upstream error event without response.failed gets its response.failed, numbering continued', () => {
    const upstream =
      head + event('error', 4, { code: 'internal_error', message: 'boom', param: null });
    const { text, summary } = run([encoder.encode(upstream)]);
    const events = parseResponsesEvents(text);
    expect(events.map((item) => item.type).slice(-2)).toEqual(['error', 'response.failed']);
    expect(events.map((item) => item.sequence_number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(events.at(-1)).toMatchObject({
      response: {
        id: 'resp_native',
        status: 'failed',
        error: { code: 'internal_error', message: 'boom' },
      },
    });
    expect(summary.endState).toBe('upstream-error');
    // an upstream that sent both keeps its own, nothing is added
    const both =
      upstream + event('response.failed', 5, { response: { ...response, status: 'failed' } });
    expect(run([encoder.encode(both)]).text).toBe(both);
  });

  it('an upstream error event and its response.failed in separate reads: nothing added', () => {
    const errorEvent = event('error', 4, { code: 'internal_error', message: 'boom', param: null });
    const failed = event('response.failed', 5, { response: { ...response, status: 'failed' } });
    const whole = run([encoder.encode(head + errorEvent + failed)]);
    const split = run([encoder.encode(head + errorEvent), encoder.encode(failed)]);
    expect(split.text).toBe(head + errorEvent + failed);
    expect(split).toEqual(whole);
  });

  it('counts cached and reasoning tokens of the native usage', () => {
    const withDetails = event('response.completed', 4, {
      response: {
        ...response,
        status: 'completed',
        model: 'qwen3.5-plus-2026-01-01',
        usage: {
          input_tokens: 30,
          input_tokens_details: { cached_tokens: 16 },
          output_tokens: 5,
          output_tokens_details: { reasoning_tokens: 2 },
          total_tokens: 35,
        },
      },
    });
    const { summary } = run([encoder.encode(head + withDetails)]);
    expect(summary.usage).toMatchObject({
      prompt_tokens: 30,
      completion_tokens: 5,
      prompt_tokens_details: { cached_tokens: 16 },
      completion_tokens_details: { reasoning_tokens: 2 },
    });
    expect(summary.upstreamModel).toBe('qwen3.5-plus-2026-01-01');
  });

  it('keepFinalResponse reports the upstream terminal response in the summary', () => {
    const transform = createResponsesPassthroughTransform({ keepFinalResponse: true });
    transform.transform(encoder.encode(head + completed));
    const { summary } = transform.end();
    expect(summary.response).toMatchObject({ id: 'resp_native', status: 'completed' });
    expect(run([encoder.encode(head + completed)]).summary).not.toHaveProperty('response');
  });

  it('getState is a deep copy at every point of a stream: changing it changes nothing', () => {
    const bytes = encoder.encode(head + completed);
    const whole = createResponsesPassthroughTransform({ keepFinalResponse: true });
    whole.transform(bytes);
    const wholeSummary = whole.end().summary;
    for (let offset = 0; offset <= bytes.length; offset += 7) {
      const transform = createResponsesPassthroughTransform({ keepFinalResponse: true });
      transform.transform(bytes.subarray(0, offset));
      const before = structuredClone(transform.getState());
      const taken = transform.getState();
      expect(taken).toEqual(before);
      taken.pendingLineBytes?.fill(0);
      if (taken.response) taken.response.id = 'changed';
      if (taken.usage) taken.usage.prompt_tokens = -1;
      if (taken.finalResponse) taken.finalResponse.id = 'changed';
      const restored = restoreResponsesPassthroughTransform(before);
      if (before.response) before.response.id = 'changed';
      if (before.finalResponse) before.finalResponse.id = 'changed';
      expect(transform.getState()).toEqual(restored.getState());
      transform.transform(bytes.subarray(offset));
      expect(transform.end().summary).toEqual(wholeSummary);
    }
  });

  it('a fresh state is what a fresh transform holds, a new object each time, adoptable', () => {
    for (const options of [{}, { keepFinalResponse: true }, { maxLineBytes: 4096 }]) {
      expect(createResponsesPassthroughState(options)).toStrictEqual(
        createResponsesPassthroughTransform(options).getState(),
      );
    }
    const first = createResponsesPassthroughState();
    expect(createResponsesPassthroughState()).not.toBe(first);
    // adopted, as the inline runner does: the stream runs on this very object
    const adopted = restoreResponsesPassthroughTransform(first, { adopt: true });
    adopted.transform(encoder.encode(head + completed));
    const ended = adopted.end();
    expect(first.lastSequenceNumber).toBe(4);
    expect(ended.summary).toMatchObject({ endState: 'done' });
    expect(createResponsesPassthroughState()).toMatchObject({
      lastSequenceNumber: -1,
      response: null,
    });
  });
});
