import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findNestingIssue, MAX_REQUEST_NESTING_DEPTH } from './find-nesting-issue';
import { safeParseChatCompletionRequest } from './parse-chat-completion-request';
import { safeParseEmbeddingsRequest } from './parse-embeddings-request';

function nest(depth: number, kind: 'object' | 'array' = 'object'): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = kind === 'object' ? { a: value } : [value];
  return value;
}

const CHAT = { model: 'coder-model', messages: [{ role: 'user', content: 'hi' }] };

describe('findNestingIssue', () => {
  it('accepts the deepest allowed body and refuses one level more, naming the field', () => {
    // the body is level 1, so its field may hold MAX - 1 levels
    expect(
      findNestingIssue({ body: { metadata: nest(MAX_REQUEST_NESTING_DEPTH - 1) } }),
    ).toBeUndefined();
    expect(findNestingIssue({ body: { metadata: nest(MAX_REQUEST_NESTING_DEPTH) } })).toEqual({
      param: 'metadata',
      message: `Invalid value for 'metadata': nested deeper than ${MAX_REQUEST_NESTING_DEPTH} levels of objects and arrays.`,
      kind: 'nesting-too-deep',
    });
  });

  it('walks a million levels without overflowing the stack', () => {
    expect(findNestingIssue({ body: { x: nest(1_000_000, 'array') } })?.param).toBe('x');
    expect(findNestingIssue({ body: { x: nest(1_000_000, 'object') } })?.param).toBe('x');
  });

  it('finds what a walk of every node with its depth finds, at any limit', () => {
    // the reference: every object and array with its level (the body is level 1)
    const deepestLevel = (value: unknown, level: number): number =>
      typeof value !== 'object' || value === null
        ? level - 1
        : Math.max(level, ...Object.values(value).map((child) => deepestLevel(child, level + 1)));
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 8 })),
        fc.integer({ min: 1, max: 10 }),
        (body, maxDepth) => {
          const expected = Object.keys(body).find(
            (field) => deepestLevel(body[field], 2) > maxDepth,
          );
          expect(findNestingIssue({ body, maxDepth })?.param).toBe(expected);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('makes every parser refuse it with 400 nesting_too_deep, before JSON.stringify could crash', () => {
    for (const field of ['metadata', 'stream_options', 'messages']) {
      const result = safeParseChatCompletionRequest({ ...CHAT, [field]: nest(5_000) });
      expect(result.success).toBe(false);
      if (result.success) continue;
      expect(result.error).toMatchObject({
        code: 'QWEN_RELAY_NESTING_TOO_DEEP',
        status: 400,
        param: field,
      });
    }
    const embeddings = safeParseEmbeddingsRequest({ model: 'm', input: nest(5_000, 'array') });
    expect(embeddings.success).toBe(false);
    // a deep but legitimate tool schema still passes
    const schema = { type: 'object', properties: { a: nest(20) } };
    expect(
      safeParseChatCompletionRequest({
        ...CHAT,
        tools: [{ type: 'function', function: { name: 'f', parameters: schema } }],
      }).success,
    ).toBe(true);
  });
});
