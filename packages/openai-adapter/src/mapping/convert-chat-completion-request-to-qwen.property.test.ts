import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest, ChatMessage } from '../types/chat-completion-request';
import { convertChatCompletionRequestToQwen } from './convert-chat-completion-request-to-qwen';
import { convertReasoningEffortForModel } from './convert-reasoning-effort-for-model';
import { getMaxOutputTokens, resolveUpstreamModel } from './model-aliases';
import { isThinkingOnlyModel } from './select-thinking-knob';

/**
 * The mapping as it was before it built the payload in one pass: spread the request, then
 * delete and re-add fields. Its output (key order included) is the reference the one-pass
 * mapping must reproduce byte for byte.
 */
function convertWithSpreadAndDelete(request: ChatCompletionRequest): Record<string, unknown> {
  const payload: Record<string, unknown> = { ...request };
  for (const field of ['reasoning_effort', 'reasoning', 'max_completion_tokens']) {
    delete payload[field];
  }
  for (const field of Object.keys(payload)) if (payload[field] === null) delete payload[field];
  const model = resolveUpstreamModel({ model: request.model });
  payload.model = model;
  payload.messages = request.messages.map((message) => {
    let converted: ChatMessage = message;
    if (converted.role === 'developer') converted = { ...converted, role: 'system' };
    if (Array.isArray(converted.tool_calls) && converted.tool_calls.length === 0) {
      const { tool_calls: _empty, ...rest } = converted;
      converted = rest as ChatMessage;
    }
    return converted;
  });
  const requestedMaxTokens = request.max_completion_tokens ?? request.max_tokens;
  delete payload.max_tokens;
  if (typeof requestedMaxTokens === 'number') {
    const limit = getMaxOutputTokens({ model });
    payload.max_tokens =
      limit === undefined ? requestedMaxTokens : Math.min(requestedMaxTokens, limit);
  }
  const effort = request.reasoning_effort ?? request.reasoning?.effort;
  if (effort !== undefined && effort !== null) {
    const thinking = convertReasoningEffortForModel({ model, effort });
    const explicit = request.enable_thinking !== undefined || request.thinking_budget !== undefined;
    if (thinking.reasoning_effort !== undefined) {
      if (!explicit) payload.reasoning_effort = thinking.reasoning_effort;
    } else {
      if (request.enable_thinking === undefined && thinking.enable_thinking !== undefined) {
        payload.enable_thinking = thinking.enable_thinking;
      }
      if (request.thinking_budget === undefined && thinking.thinking_budget !== undefined) {
        payload.thinking_budget = thinking.thinking_budget;
      }
    }
  }
  if (payload.enable_thinking === false && isThinkingOnlyModel(model)) {
    delete payload.enable_thinking;
  }
  const stream = request.stream === true;
  payload.stream = stream;
  if (stream) {
    payload.stream_options = { ...(request.stream_options ?? {}), include_usage: true };
  } else {
    delete payload.stream_options;
  }
  if (!Array.isArray(request.tools) || request.tools.length === 0) {
    delete payload.tools;
    delete payload.tool_choice;
    delete payload.parallel_tool_calls;
  }
  return payload;
}

const TOOL = { type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } };

const MESSAGES: ChatMessage[][] = [
  [{ role: 'user', content: 'hi' }],
  [
    { role: 'developer', content: 'be brief' },
    { role: 'user', content: 'hi' },
  ],
  [
    { role: 'user', content: 'read it' },
    { role: 'assistant', content: 'ok', tool_calls: [] },
  ],
];

/** Each optional field with the values clients send, null (OpenAI's "not set") included. */
const OPTIONAL_FIELDS: Record<string, fc.Arbitrary<unknown>> = {
  max_tokens: fc.oneof(fc.constant(null), fc.nat({ max: 200_000 })),
  max_completion_tokens: fc.oneof(fc.constant(null), fc.nat({ max: 200_000 })),
  reasoning_effort: fc.constantFrom(null, 'none', 'low', 'medium', 'high', 'xhigh'),
  reasoning: fc.constantFrom(null, { effort: 'low' }, { effort: 'high' }),
  enable_thinking: fc.constantFrom(null, true, false),
  thinking_budget: fc.oneof(fc.constant(null), fc.nat({ max: 40_000 })),
  stream: fc.constantFrom(null, true, false),
  stream_options: fc.constantFrom(null, {}, { include_usage: false }, { include_usage: true }),
  tools: fc.constantFrom(null, [], [TOOL]),
  tool_choice: fc.constantFrom(null, 'auto', 'none'),
  parallel_tool_calls: fc.constantFrom(null, true, false),
  temperature: fc.constantFrom(null, 0, 0.7),
  user: fc.constantFrom(null, 'alice'),
  seed: fc.constantFrom(null, 0, 42),
  __proto__: fc.constant({ polluted: true }),
};

const requestArbitrary = fc
  .record({
    model: fc.constantFrom(
      'coder-model',
      'qwen3-coder-plus',
      'qwen3.6-plus',
      'qwen3.8-max-preview',
      'qwq-plus',
      'qwen3-235b-a22b-thinking-2507',
    ),
    messages: fc.constantFrom(...MESSAGES),
    optional: fc.subarray(Object.keys(OPTIONAL_FIELDS)),
    order: fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
  })
  .chain(({ model, messages, optional, order }) =>
    fc
      .tuple(...optional.map((field) => OPTIONAL_FIELDS[field] as fc.Arbitrary<unknown>))
      .map((values) => {
        // the client's own key order, model and messages anywhere in it
        const entries: [string, unknown][] = [
          ['model', model],
          ['messages', messages],
          ...optional.map((field, index): [string, unknown] => [field, values[index]]),
        ];
        const shuffled = entries
          .map((entry, index) => ({ entry, rank: order[index % order.length] ?? 0 }))
          .sort((a, b) => a.rank - b.rank)
          .map(({ entry }) => entry);
        // as JSON.parse builds it: "__proto__" is an own field, not the prototype
        return Object.fromEntries(shuffled) as unknown as ChatCompletionRequest;
      }),
  );

describe('property: the one-pass mapping sends what spread-then-delete sent', () => {
  it('gives the same payload, byte for byte and in the same key order', () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const expected = convertWithSpreadAndDelete(request);
        const { payload } = convertChatCompletionRequestToQwen({ request });
        expect(JSON.stringify(payload)).toBe(JSON.stringify(expected));
        expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
      }),
      { numRuns: 2_000, seed: 20_261_202 },
    );
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

// the conversations as written, before any test ran (a mapping that changed them in place
// would otherwise have changed them for every later test)
const PRISTINE_MESSAGES = MESSAGES.map((messages) => JSON.stringify(messages));

describe('property: the mapping leaves the client request as it was', () => {
  // the proxy serialises the payload reusing the client's text for every object the two share
  // (qwen-client serializeWithSourceText): a change made in place would not reach upstream
  it('maps a deeply frozen request, with and without the portal quirks', () => {
    fc.assert(
      fc.property(
        requestArbitrary,
        fc.nat({ max: PRISTINE_MESSAGES.length - 1 }),
        fc.boolean(),
        (generated, conversation, portalQuirks) => {
          // a copy as JSON.parse makes it: the generated messages are shared between runs
          const before = JSON.stringify({
            ...generated,
            messages: JSON.parse(PRISTINE_MESSAGES[conversation] as string),
          });
          const request = deepFreeze(JSON.parse(before) as ChatCompletionRequest);
          convertChatCompletionRequestToQwen({ request, portalQuirks });
          expect(JSON.stringify(request)).toBe(before);
        },
      ),
      { numRuns: 500, seed: 20_261_202 },
    );
  });
});
