import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runAnthropicTransform } from '../../test/anthropic-stream-helpers';
import {
  applyTextEdits,
  assembledDeltaChunks,
  assertWhereAccepted,
  trickyText as createTrickyText,
  joinedMembers,
  respelledJsonString,
  textEdits,
} from '../../test/chunk-text-arbitraries';
import { runResponsesTransform } from '../../test/responses-helpers';
import { runTransform } from '../../test/stream-helpers';
import {
  isNonEmptyTextJson,
  isStringifiedSpelling,
  matchQwenDeltaChunk,
  parseTextString,
  readFinalChunk,
} from './scan-plain-delta-chunk';

const UPSTREAM_MODEL = 'qwen3.6-plus';

// the recorded layout of a Qwen delta chunk (src/__fixtures__/plain-text.sse, thinking.sse)
function createDeltaData(delta: Record<string, unknown>, model = UPSTREAM_MODEL): string {
  return JSON.stringify({
    choices: [{ finish_reason: null, logprobs: null, delta, index: 0 }],
    object: 'chat.completion.chunk',
    usage: null,
    created: 1_775_000_100,
    system_fingerprint: null,
    model,
    id: 'chatcmpl-1a2b3c4d',
  });
}

// what a translation reads from a chunk: the first choice's index, finish reason and the delta's
// text members, the model, usage and error (tool calls are never on the fast path)
function readWhatTranslationsRead(chunk: Record<string, unknown>) {
  const choices = chunk.choices as Record<string, unknown>[];
  const choice = choices[0] as Record<string, unknown>;
  const delta = choice.delta as Record<string, unknown>;
  return {
    choiceCount: choices.length,
    index: choice.index ?? 0,
    finishReason: choice.finish_reason ?? null,
    content: delta.content,
    reasoning: delta.reasoning_content,
    toolCalls: delta.tool_calls,
    model: chunk.model,
    usage: chunk.usage ?? null,
    error: chunk.error ?? null,
  };
}

// what matchQwenDeltaChunk's groups hold (parsed here with JSON.parse alone): the model and the
// delta's texts
function readDelta(data: string) {
  const match = matchQwenDeltaChunk(data);
  if (match === undefined) return undefined;
  const [, contentJson, reasoningJson, otherDelta, model] = match;
  const other = otherDelta === undefined ? undefined : JSON.parse(otherDelta);
  const parse = (json: string | undefined) => (json === undefined ? undefined : JSON.parse(json));
  return {
    model,
    content: other === undefined ? parse(contentJson) : other.content,
    reasoning: other === undefined ? parse(reasoningJson) : other.reasoning_content,
  };
}

// the same, from what the match gives: the rest is what it guarantees
function readFromMatch({ model, content, reasoning }: NonNullable<ReturnType<typeof readDelta>>) {
  return {
    choiceCount: 1,
    index: 0,
    finishReason: null,
    content,
    reasoning,
    toolCalls: undefined,
    model,
    usage: null,
    error: null,
  };
}

const trickyText = createTrickyText(['"content":"', '"reasoning_content":null']);

describe('matchQwenDeltaChunk', () => {
  it('reads recorded content and reasoning deltas without parsing the chunk', () => {
    expect(readDelta(createDeltaData({ content: 'Hello' }))).toEqual({
      model: UPSTREAM_MODEL,
      content: 'Hello',
      reasoning: undefined,
    });
    const reasoning = createDeltaData({ content: null, reasoning_content: 'a "b" \\ c\n' });
    expect(matchQwenDeltaChunk(reasoning)?.slice(1)).toEqual([
      'null',
      String.raw`"a \"b\" \\ c\n"`,
      undefined,
      UPSTREAM_MODEL,
    ]);
    expect(readDelta(reasoning)).toEqual({
      model: UPSTREAM_MODEL,
      content: null,
      reasoning: 'a "b" \\ c\n',
    });
    const first = createDeltaData({ content: null, role: 'assistant', reasoning_content: '' });
    expect(readDelta(first)).toEqual({
      model: UPSTREAM_MODEL,
      content: null,
      reasoning: '',
    });
    // another layout of delta: parsed alone
    const other = createDeltaData({ reasoning_content: 'r', content: 7 }, '');
    expect(matchQwenDeltaChunk(other)?.[3]).toBe('{"reasoning_content":"r","content":7}');
    expect(readDelta(other)).toEqual({
      model: '',
      content: 7,
      reasoning: 'r',
    });
  });

  it('reads a raw lone surrogate, which its text pattern refuses: the delta is parsed', () => {
    // JSON.parse takes it raw; JSON.stringify escapes it. Decoded UTF-8 never holds one, but the
    // reader does not rely on that: such text is not captured as a text
    const data = createDeltaData({ content: 'a' }).replace('"a"', '"a\ud800"');
    expect(readDelta(data)).toMatchObject({ content: 'a\ud800' });
    expect(matchQwenDeltaChunk(data)?.[1]).toBeUndefined();
    expect(JSON.stringify('a\ud800')).toBe('"a\\ud800"');
  });

  it.each([
    ['tool calls', createDeltaData({ tool_calls: [] })],
    [
      'a finish reason',
      createDeltaData({ content: 'a' }).replace('"finish_reason":null', '"finish_reason":"stop"'),
    ],
    [
      'an error finish',
      createDeltaData({ content: 'a' }).replace(
        '"finish_reason":null',
        '"finish_reason":"error_finish"',
      ),
    ],
    ['usage', createDeltaData({ content: 'a' }).replace('"usage":null', '"usage":{"a":1}')],
    ['an error member', createDeltaData({ content: 'a' }).replace('"id"', '"error":null,"id"')],
    ['a second choice', createDeltaData({ content: 'a' }).replace('}],', '},{"index":1}],')],
    ['a choice of index 1', createDeltaData({ content: 'a' }).replace('"index":0', '"index":1')],
    ['choices not first', `{"model":"m",${createDeltaData({ content: 'a' }).slice(1)}`],
    ['two model members', createDeltaData({ content: 'a' }).replace('"id"', '"model":"x","id"')],
    ['an escaped model', createDeltaData({ content: 'a' }, 'a"b')],
    ['no model', createDeltaData({ content: 'a' }).replace(`,"model":"${UPSTREAM_MODEL}"`, '')],
    ['whitespace', createDeltaData({ content: 'a' }).replace('"usage":null', '"usage": null')],
    ['a raw control character', createDeltaData({ content: 'a' }).replace('"a"', '"\t"')],
    ['a bad escape', createDeltaData({ content: 'a' }).replace('"a"', '"\\x"')],
  ])('rejects %s', (_name, data) => {
    expect(matchQwenDeltaChunk(data)).toBeUndefined();
  });

  it('property: whatever it reads, JSON.parse of the whole chunk agrees on what translations read', () => {
    const members = (texts: string[]) => joinedMembers(texts, 4);
    const topMembers = members([
      '"usage":null',
      '"usage":{"total_tokens":1}',
      `"model":"${UPSTREAM_MODEL}"`,
      '"model":"other"',
      '"model":null',
      '"error":null',
      '"\\u0065rror":{"message":"x"}',
      '"object":"chat.completion.chunk"',
      '"created":1775000100',
      '"id":"chatcmpl-1"',
    ]);
    const choiceMembers = members([
      '"finish_reason":null',
      '"finish_reason":"stop"',
      '"index":0',
      '"index":1',
      '"logprobs":null',
      '"delta":{"content":"x"}',
    ]);
    const deltaMembers = members([
      '"content":null',
      '"reasoning_content":"r"',
      '"reasoning_content":null',
      '"role":"assistant"',
      '"tool_calls":[]',
      '"content":"again"',
    ]);
    assertWhereAccepted({
      texts: assembledDeltaChunks({
        topMembers,
        choiceMembers,
        deltaMembers,
        content: trickyText,
        model: `"model":"${UPSTREAM_MODEL}"`,
      }),
      read: readDelta,
      // the fast path's own guarantees (one choice, index 0, no finish reason, no tool calls,
      // usage and error null) hold for the whole parse too, since the reads agree
      check: (data, read) => {
        expect(readFromMatch(read)).toEqual(readWhatTranslationsRead(JSON.parse(data)));
        // a text group's value, as the translations read it; and a text they write as it came is
        // the one they would serialise
        const match = matchQwenDeltaChunk(data);
        for (const [group, value] of [
          [match?.[1], read.content],
          [match?.[2], read.reasoning],
        ]) {
          if (!isNonEmptyTextJson(group)) continue;
          expect(parseTextString(group)).toBe(value);
          if (isStringifiedSpelling(group)) expect(group).toBe(JSON.stringify(value));
        }
      },
      atLeast: 300,
      numRuns: 6000,
      seed: 20_261_202,
    });
  });
});

describe('isStringifiedSpelling', () => {
  it.each([
    ['"plain é 日本 \u2028 \u{1F600}"', true],
    ['"a \\"b\\" \\\\ c\\n\\r\\t\\b\\f"', true],
    ['"a\\/b"', false],
    ['"\\u0041"', false],
    ['"\\u001f"', false],
    ['"\\ud83d\\ude00"', false],
    // an escaped backslash, then `u`: refused too, which only costs a serialisation
    ['"\\\\u"', false],
  ])('%s: %s', (text, expected) => {
    expect(isStringifiedSpelling(text)).toBe(expected);
  });

  it('property: a text it takes is what JSON.stringify writes; it refuses only \\u and \\/', () => {
    fc.assert(
      fc.property(respelledJsonString(trickyText), (text) => {
        const written = JSON.stringify(JSON.parse(text));
        if (isStringifiedSpelling(text)) expect(text).toBe(written);
        else expect(text.includes('\\u') || text.includes('\\/')).toBe(true);
      }),
      { numRuns: 3000, seed: 20_261_203 },
    );
  });
});

describe('property: the translations give the same bytes with and without the fast path', () => {
  // a space after the first brace is still the same JSON, but no fast path takes it
  const forcingFullPath = (data: string) => `{ ${data.slice(1)}`;
  const deltaArbitrary = fc.oneof(
    trickyText.map((content) => ({ content })),
    trickyText.map((reasoning) => ({ content: null, reasoning_content: reasoning })),
    trickyText.map((content) => ({ content, reasoning_content: null })),
    trickyText.map((reasoning) => ({ reasoning_content: reasoning, content: null })),
    fc.constant({ content: '', role: 'assistant' }),
    fc.constant({ role: 'assistant', content: '' }),
    fc.constant({ content: null, role: 'assistant', reasoning_content: '' }),
    // other layouts of delta (its JSON text in the pattern's third group)
    trickyText.map((reasoning) => ({ reasoning_content: reasoning, content: 'after' })),
    trickyText.map((content) => ({ content, refusal: null })),
  );
  // the final chunks in Qwen's layout (fixtures), the model left out of the finish chunk when it
  // is empty so that the one the summary reports comes from the other chunks
  const finishChunk = (finishReason: string, model: string) =>
    `{"choices":[{"finish_reason":"${finishReason}","delta":{"content":""},"index":0,"logprobs":null}],"object":"chat.completion.chunk","usage":null,"created":1775000100,"system_fingerprint":null,${model === '' ? '' : `"model":"${model}",`}"id":"chatcmpl-1"}`;
  const usageChunk = (completionTokens: number, model: string) =>
    `{"choices":[],"object":"chat.completion.chunk","usage":{"prompt_tokens":42,"completion_tokens":${completionTokens},"total_tokens":${42 + completionTokens},"prompt_tokens_details":{"cached_tokens":7}},"created":1775000100,"system_fingerprint":null,"model":"${model}","id":"chatcmpl-1"}`;
  const toolCallChunk = JSON.stringify({
    choices: [
      {
        delta: {
          tool_calls: [
            { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } },
          ],
        },
        index: 0,
        finish_reason: null,
      },
    ],
    model: UPSTREAM_MODEL,
  });
  const encode = (datas: string[]) =>
    new TextEncoder().encode(
      `${datas.map((data) => `data: ${data}\n\n`).join('')}data: [DONE]\n\n`,
    );

  it('for chat, Responses and Anthropic Messages, over streams of deltas and final chunks', () => {
    fc.assert(
      fc.property(
        fc.array(deltaArbitrary, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(UPSTREAM_MODEL, ''),
        fc.boolean(),
        fc.constantFrom('stop', 'length', 'tool_calls', 'content_filter'),
        fc.option(fc.nat(1_000)),
        fc.boolean(),
        (deltas, model, withToolCall, finishReason, completionTokens, includeUsage) => {
          const datas = deltas.map((delta) => createDeltaData(delta, model));
          if (withToolCall) datas.push(toolCallChunk);
          datas.push(finishChunk(finishReason, model));
          if (completionTokens !== null) datas.push(usageChunk(completionTokens, model));
          const fast = [encode(datas)];
          const full = [encode(datas.map(forcingFullPath))];
          // chat forwards the upstream's text: the full path's keeps the space that forced it
          const chat = (parts: Uint8Array[]) => {
            const { text, summary } = runTransform({ parts, includeUsage });
            return { text: text.replaceAll('data: { ', 'data: {'), summary };
          };
          expect(chat(fast)).toEqual(chat(full));
          expect(runResponsesTransform({ parts: fast })).toEqual(
            runResponsesTransform({ parts: full }),
          );
          expect(runAnthropicTransform({ parts: fast })).toEqual(
            runAnthropicTransform({ parts: full }),
          );
        },
      ),
      { numRuns: 200, seed: 20_261_202 },
    );
  });

  // a text spelt otherwise than JSON.stringify spells it (`\u` escapes, `\/`) is written as the
  // translation would serialise it, never as it came; chat forwards it as it came, so is not here
  it('for Responses and Anthropic Messages, over deltas whose texts are spelt otherwise', () => {
    const MARK = '\u0000mark';
    const respelledDelta = fc
      .tuple(respelledJsonString(trickyText), fc.constantFrom('content', 'reasoning_content'))
      .map(([literal, field]) => ({ literal, field }));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(respelledDelta, deltaArbitrary), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(UPSTREAM_MODEL, ''),
        (deltas, model) => {
          const datas = deltas.map((delta) => {
            if (!('literal' in delta)) return createDeltaData(delta, model);
            const marked =
              delta.field === 'content' ? { content: MARK } : { reasoning_content: MARK };
            return createDeltaData(marked, model).replace(JSON.stringify(MARK), delta.literal);
          });
          datas.push(finishChunk('stop', model));
          const fast = [encode(datas)];
          const full = [encode(datas.map(forcingFullPath))];
          expect(runResponsesTransform({ parts: fast })).toEqual(
            runResponsesTransform({ parts: full }),
          );
          expect(runAnthropicTransform({ parts: fast })).toEqual(
            runAnthropicTransform({ parts: full }),
          );
        },
      ),
      { numRuns: 300, seed: 20_261_203 },
    );
  });
});

describe('readFinalChunk', () => {
  const finish = `{"choices":[{"finish_reason":"stop","delta":{"content":""},"index":0,"logprobs":null}],"object":"chat.completion.chunk","usage":null,"created":1775000100,"system_fingerprint":null,"model":"${UPSTREAM_MODEL}","id":"chatcmpl-1"}`;
  const usage = `{"choices":[],"object":"chat.completion.chunk","usage":{"prompt_tokens":42,"completion_tokens":9,"total_tokens":51,"prompt_tokens_details":{"cached_tokens":0}},"created":1775000100,"system_fingerprint":null,"model":"${UPSTREAM_MODEL}","id":"chatcmpl-1"}`;

  it('reads the recorded finish and usage chunks (src/__fixtures__/plain-text.sse)', () => {
    expect(readFinalChunk(finish)).toEqual({
      kind: 'finish',
      head: finish.slice(0, finish.indexOf('"model":"') + '"model":"'.length),
      model: UPSTREAM_MODEL,
      finishReason: 'stop',
    });
    expect(readFinalChunk(usage)).toEqual({
      kind: 'usage',
      head: usage.slice(0, usage.indexOf('"model":"') + '"model":"'.length),
      model: UPSTREAM_MODEL,
      usage: {
        prompt_tokens: 42,
        completion_tokens: 9,
        total_tokens: 51,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    });
  });

  it.each([
    ['an error finish', finish.replace('"stop"', '"error_finish"')],
    ['text in the finish delta', finish.replace('{"content":""}', '{"content":"x"}')],
    ['tool calls in the finish delta', finish.replace('{"content":""}', '{"tool_calls":[]}')],
    ['usage on the finish chunk', finish.replace('"usage":null', '"usage":{"total_tokens":1}')],
    ['a second choice', finish.replace('}],', '},{"index":1}],')],
    ['a choice of index 1', finish.replace('"index":0', '"index":1')],
    ['a matched stop sequence', finish.replace('"index":0', '"index":0,"matched_stop":"x"')],
    ['a finish reason with an escape', finish.replace('"stop"', '"st\\u006fp"')],
    ['an error member', usage.replace('"id"', '"error":null,"id"')],
    ['two usage members', usage.replace('"id"', '"usage":null,"id"')],
    ['a usage with an array', usage.replace('"cached_tokens":0', '"cached_tokens":[0]')],
    ['usage after the model', usage.replace(/"usage":(\{.*?\}\}),(.*)"id"/, '$2"usage":$1,"id"')],
    ['choices in a usage chunk', usage.replace('"choices":[]', '"choices":[{"index":0}]')],
    ['an escaped model', finish.replace(UPSTREAM_MODEL, 'a\\"b')],
    ['whitespace', usage.replace('"usage":{', '"usage": {')],
  ])('rejects %s', (_name, data) => {
    expect(readFinalChunk(data)).toBeUndefined();
  });

  it('property: whatever it reads, JSON.parse of the whole chunk agrees', () => {
    const members = (texts: string[]) => joinedMembers(texts, 3);
    // the recorded members more often than the ones that make a chunk unreadable
    const topMembers = members([
      '"object":"chat.completion.chunk"',
      '"created":1775000100',
      '"id":"chatcmpl-1"',
      '"system_fingerprint":null',
      '"usage":null',
      '"usage":{"total_tokens":1}',
      '"usage":{"a":{"b":1},"c":null}',
      '"model":"other"',
      '"error":null',
      '"object":"chat.completion.chunk"',
      '"created":1775000100',
      '"id":"chatcmpl-1"',
    ]);
    const choiceMembers = members([
      '"finish_reason":"stop"',
      '"finish_reason":null',
      '"finish_reason":"error_finish"',
      '"delta":{}',
      '"delta":{"content":""}',
      '"delta":{"content":"x"}',
      '"index":0',
      '"index":1',
      '"logprobs":null',
    ]);
    const counts = { finish: 0, usage: 0, rejected: 0 };
    fc.assert(
      fc.property(
        topMembers,
        fc.oneof(
          fc
            .tuple(choiceMembers, choiceMembers)
            .map(([first, last]) => [first, '"finish_reason":"length"', last].filter(Boolean))
            .map((choice) => `[{${choice.join(',')}}]`),
          choiceMembers.map((choice) => `[{${choice}}]`),
          fc.constant('[]'),
        ),
        fc.option(fc.constant(`"model":"${UPSTREAM_MODEL}"`), { freq: 4, nil: '' }),
        topMembers,
        textEdits(3),
        (before, choices, model, after, edits) => {
          const topText = [`"choices":${choices}`, before, model, after].filter(Boolean).join(',');
          const data = applyTextEdits(`{${topText}}`, edits);
          const read = readFinalChunk(data);
          if (read === undefined) {
            counts.rejected++;
            return;
          }
          counts[read.kind]++;
          const chunk = JSON.parse(data);
          expect(chunk.model).toBe(read.model);
          expect(data.slice(read.head.length, read.head.length + read.model.length)).toBe(
            read.model,
          );
          expect(chunk.error ?? null).toBeNull();
          if (read.kind === 'usage') {
            expect(chunk.choices).toEqual([]);
            expect(chunk.usage).toEqual(read.usage);
            return;
          }
          expect(chunk.usage ?? null).toBeNull();
          expect(chunk.choices).toHaveLength(1);
          const [choice] = chunk.choices;
          expect(choice.index ?? 0).toBe(0);
          expect(choice.finish_reason).toBe(read.finishReason);
          expect(read.finishReason).not.toBe('error_finish');
          expect(Object.keys(choice).every((key) => FINISH_CHOICE_KEYS.has(key))).toBe(true);
          expect(['', null, undefined]).toContain(choice.delta?.content);
          expect(Object.keys(choice.delta ?? {}).every((key) => key === 'content')).toBe(true);
        },
      ),
      { numRuns: 6000, seed: 20_261_202 },
    );
    expect(counts.finish).toBeGreaterThan(100);
    expect(counts.usage).toBeGreaterThan(100);
    expect(counts.rejected).toBeGreaterThan(300);
  });
});

const FINISH_CHOICE_KEYS = new Set(['finish_reason', 'delta', 'index', 'logprobs']);
