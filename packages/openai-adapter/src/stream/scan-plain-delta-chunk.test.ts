import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assembledDeltaChunks,
  assertWhereAccepted,
  trickyText as createTrickyText,
  joinedMembers,
} from '../../test/chunk-text-arbitraries';
import { runTransform } from '../../test/stream-helpers';
import { createChatStreamTransformState } from './chat-stream-transform-state';
import { matchPlainDeltaChunk } from './scan-plain-delta-chunk';

/** The upstream `model` the plain-delta match found (group 2), else undefined. */
const scanPlainDeltaChunk = (data: string): string | undefined => matchPlainDeltaChunk(data)?.[2];

import { transformChunk, transformPlainDeltaChunk } from './transform-chunk';

const UPSTREAM_MODEL = 'qwen3.6-plus';

// the recorded key order of a Qwen delta chunk (src/__fixtures__/plain-text.sse)
function createDeltaData({
  delta,
  model = UPSTREAM_MODEL,
  id = 'chatcmpl-1a2b3c4d',
}: {
  delta: Record<string, unknown>;
  model?: string;
  id?: string;
}): string {
  return JSON.stringify({
    choices: [{ finish_reason: null, logprobs: null, delta, index: 0 }],
    object: 'chat.completion.chunk',
    usage: null,
    created: 1_775_000_100,
    system_fingerprint: null,
    model,
    id,
  });
}

/** The full path of handleEvent for a valid non-error event: JSON.parse, then transformChunk. */
function transformWithFullPath({ data, clientModel }: { data: string; clientModel: string }) {
  const state = createChatStreamTransformState({ clientModel, includeUsage: true });
  const chunk: unknown = JSON.parse(data);
  if (typeof chunk !== 'object' || chunk === null || Array.isArray(chunk)) throw new Error('shape');
  const result = transformChunk({ chunk: chunk as Record<string, unknown>, data, state });
  return { result, state, chunk: chunk as Record<string, unknown> };
}

const trickyText = createTrickyText([
  '"model":"',
  `"model":"${UPSTREAM_MODEL}"`,
  '"model":"coder-model",',
]);

describe('scanPlainDeltaChunk', () => {
  it('accepts recorded content and reasoning deltas and returns their model', () => {
    expect(scanPlainDeltaChunk(createDeltaData({ delta: { content: 'Hello' } }))).toBe(
      UPSTREAM_MODEL,
    );
    const reasoning = createDeltaData({ delta: { content: null, reasoning_content: 'Compare' } });
    expect(scanPlainDeltaChunk(reasoning)).toBe(UPSTREAM_MODEL);
    const first = createDeltaData({ delta: { content: '', role: 'assistant' } });
    expect(scanPlainDeltaChunk(first)).toBe(UPSTREAM_MODEL);
  });

  it.each([
    ['tool calls', createDeltaData({ delta: { tool_calls: [] } })],
    [
      'a finish reason',
      createDeltaData({ delta: {} }).replace('"finish_reason":null', '"finish_reason":"stop"'),
    ],
    ['usage', createDeltaData({ delta: {} }).replace('"usage":null', '"usage":{"total_tokens":3}')],
    ['an error member', `{"error":null,${createDeltaData({ delta: {} }).slice(1)}`],
    [
      'an escaped key spelling "error"',
      `{"\\u0065rror":1,${createDeltaData({ delta: {} }).slice(1)}`,
    ],
    [
      'an escaped key spelling "model"',
      createDeltaData({ delta: {} }).replace('"model"', '"mod\\u0065l"'),
    ],
    ['two model members', createDeltaData({ delta: {} }).replace('"id"', '"model":"other","id"')],
    ['a model only in the delta', '{"choices":[{"delta":{"model":"up"}}]}'],
    ['a non-string model', createDeltaData({ delta: {} }).replace(`"${UPSTREAM_MODEL}"`, '7')],
    ['an escaped model', createDeltaData({ delta: {}, model: 'a"b' })],
    ['whitespace', createDeltaData({ delta: {} }).replace('"usage":null', '"usage": null')],
    ['a trailing comma', `${createDeltaData({ delta: {} }).slice(0, -1)},}`],
    ['a missing brace', createDeltaData({ delta: {} }).slice(0, -1)],
    [
      'a raw control character',
      createDeltaData({ delta: { content: 'a' } }).replace('"a"', '"\t"'),
    ],
    ['a bad escape', createDeltaData({ delta: { content: 'a' } }).replace('"a"', '"\\x"')],
    ['a leading zero', createDeltaData({ delta: {} }).replace('1775000100', '01775000100')],
    ['an array', '[]'],
  ])('rejects %s', (_name, data) => {
    expect(scanPlainDeltaChunk(data)).toBeUndefined();
  });
});

describe('property: the fast path gives what the full path gives', () => {
  it('for deltas with arbitrary content, reasoning and model names (incl. `"model":"` in content)', () => {
    let fastPathTaken = 0;
    fc.assert(
      fc.property(
        trickyText,
        fc.option(trickyText, { nil: undefined }),
        fc.oneof(fc.constant(UPSTREAM_MODEL), fc.constant('coder-model'), trickyText),
        fc.oneof(fc.constant('coder-model'), fc.constant(UPSTREAM_MODEL), trickyText),
        (content, reasoning, upstreamModel, clientModel) => {
          const delta =
            reasoning === undefined ? { content } : { content: null, reasoning_content: reasoning };
          const data = createDeltaData({ delta, model: upstreamModel });
          const fast = transformPlainDeltaChunk({ data, clientModel });
          const full = transformWithFullPath({ data, clientModel });
          if (fast === undefined) return;
          fastPathTaken++;
          expect(full.result).toEqual({ kind: 'output', text: fast });
          // nothing lost by skipping transformChunk: it changed no state for such a chunk
          expect(full.state).toEqual(
            createChatStreamTransformState({ clientModel, includeUsage: true }),
          );
          const forwarded = JSON.parse(fast.slice('data: '.length, -2));
          expect(forwarded).toEqual({ ...full.chunk, model: clientModel });
          expect(forwarded.choices[0].delta).toEqual(delta);
        },
      ),
      { numRuns: 600, seed: 20_261_122 },
    );
    expect(fastPathTaken).toBeGreaterThan(300);
  });

  it('for assembled and mutated chunk texts: whatever the scanner accepts, the full path agrees', () => {
    const members = (texts: string[]) => joinedMembers(texts, 4);
    const topMembers = members([
      '"usage":null',
      '"usage":{"total_tokens":1}',
      `"model":"${UPSTREAM_MODEL}"`,
      '"model":"other"',
      '"model":null',
      '"mod\\u0065l":"m"',
      '"error":null',
      '"error":"x"',
      '"error":{"message":"x"}',
      '"\\u0065rror":{"message":"x"}',
      '"object":"chat.completion.chunk"',
      '"created":1775000100',
    ]);
    const choiceMembers = members([
      '"finish_reason":null',
      '"finish_reason":"stop"',
      '"finish_reason":"error_finish"',
      '"index":0',
      '"index":1',
      '"logprobs":null',
      `"model":"${UPSTREAM_MODEL}"`,
    ]);
    const deltaMembers = members([
      '"content":"a"',
      '"content":null',
      '"role":"assistant"',
      '"tool_calls":[]',
      '"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]',
      `"model":"${UPSTREAM_MODEL}"`,
    ]);
    assertWhereAccepted({
      texts: assembledDeltaChunks({
        topMembers,
        choiceMembers,
        deltaMembers,
        content: trickyText,
        model: `"model":"${UPSTREAM_MODEL}"`,
      }),
      read: scanPlainDeltaChunk,
      check: (data, scanned) => {
        const full = transformWithFullPath({ data, clientModel: 'coder-model' });
        expect(full.chunk.model).toBe(scanned);
        expect(full.chunk.error ?? null).toBeNull();
        expect(full.state).toEqual(
          createChatStreamTransformState({ clientModel: 'coder-model', includeUsage: true }),
        );
        const fast = transformPlainDeltaChunk({ data, clientModel: 'coder-model' });
        if (fast !== undefined) expect(full.result).toEqual({ kind: 'output', text: fast });
      },
      atLeast: 100,
      numRuns: 6000,
      seed: 11,
    });
  });
});

describe('a stream of fast-path chunks', () => {
  it('keeps output, chunkCount, usage and summary, also across split reads and state restores', () => {
    const contents = ['Hi', ' "model":"x"', `\\"model\\":\\"${UPSTREAM_MODEL}\\"`, 'é ✓ 日本', ''];
    const events = contents.map((content) => createDeltaData({ delta: { content } }));
    const finalChunk = JSON.stringify({
      choices: [{ finish_reason: 'stop', delta: { content: '' }, index: 0 }],
      usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
      model: UPSTREAM_MODEL,
      id: 'c1',
    });
    const body = `${[...events, finalChunk].map((data) => `data: ${data}\n\n`).join('')}data: [DONE]\n\n`;
    const bytes = new TextEncoder().encode(body);

    const state = createChatStreamTransformState({
      clientModel: 'coder-model',
      includeUsage: true,
    });
    let expected = '';
    for (const data of [...events, finalChunk]) {
      const result = transformChunk({ chunk: JSON.parse(data), data, state });
      if (result.kind !== 'output') throw new Error('unexpected error result');
      expected += result.text;
    }
    expected += 'data: [DONE]\n\n';

    const whole = runTransform({ parts: [bytes], includeUsage: true });
    expect(whole.text).toBe(expected);
    expect(whole.summary).toEqual({
      endState: 'done',
      sawDone: true,
      chunkCount: events.length + 1,
      usage: state.usage,
      ...(state.upstreamModel === null ? {} : { upstreamModel: state.upstreamModel }),
      ...(state.finishReasons.length === 0 ? {} : { finishReasons: state.finishReasons }),
    });
    const parts = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, index) =>
      bytes.slice(index * 7, index * 7 + 7),
    );
    const restored = runTransform({ parts, includeUsage: true, restoreEachTime: true });
    expect(restored.text).toBe(expected);
    expect(restored.summary).toEqual(whole.summary);
  });

  it('does not take the fast path for an `event: error` event', () => {
    const data = createDeltaData({ delta: { content: 'Hi' } });
    const bytes = new TextEncoder().encode(`event: error\ndata: ${data}\n\n`);
    const result = runTransform({ parts: [bytes] });
    expect(result.summary.endState).toBe('upstream-error');
    expect(result.summary.chunkCount).toBe(0);
  });
});
