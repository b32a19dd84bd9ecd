import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRequestEcho } from './convert-responses-request-to-chat';
import { formatRequestEchoMembers } from './format-request-echo';
import type { ResponsesRequest, ResponsesRequestEcho } from './responses-types';

const asEcho = (value: unknown) => value as ResponsesRequestEcho;
const stringifiedMembers = (echo: unknown) => JSON.stringify(echo).slice(1, -1);

describe('formatRequestEchoMembers', () => {
  it('writes the members of an echo of a request as JSON.stringify does', () => {
    const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
    const text = fc.string({ unit: 'binary', maxLength: 20 });
    fc.assert(
      fc.property(
        fc.record(
          {
            instructions: optional(fc.oneof(text, fc.constant(null))),
            max_output_tokens: optional(fc.oneof(fc.integer(), fc.constant(null))),
            metadata: optional(fc.dictionary(fc.string(), text)),
            parallel_tool_calls: optional(fc.boolean()),
            previous_response_id: optional(text),
            reasoning: optional(
              fc.record(
                { effort: fc.constantFrom('low', 'high'), summary: fc.constantFrom('auto', null) },
                { requiredKeys: [] },
              ),
            ),
            store: optional(fc.boolean()),
            temperature: optional(fc.oneof(fc.double(), fc.constant(null))),
            text: optional(
              fc.oneof(
                fc.constant({}),
                fc.constant({ format: { type: 'text' } }),
                fc.constant({ format: { type: 'text' }, verbosity: 'low' }),
                fc.constant({ format: { type: 'json_object' } }),
                fc.constant({ verbosity: 'low', format: { type: 'text' } }),
              ),
            ),
            tool_choice: optional(fc.oneof(fc.constantFrom('auto', 'none'), fc.object())),
            tools: optional(fc.array(fc.record({ type: fc.constant('function'), name: text }))),
            top_p: optional(fc.double()),
            user: optional(text),
          },
          { requiredKeys: [] },
        ),
        (fields) => {
          const echo = createRequestEcho({ model: 'coder-model', ...fields } as ResponsesRequest);
          expect(formatRequestEchoMembers(echo)).toBe(stringifiedMembers(echo));
        },
      ),
      { numRuns: 500, seed: 20_261_202 },
    );
  });

  it('writes any other object as JSON.stringify does', () => {
    const known = createRequestEcho({ model: 'coder-model' });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.object(),
          // the known members, one of them changed, removed, moved or given an odd value
          fc
            .tuple(
              fc.constantFrom(...Object.keys(known)),
              fc.constantFrom('remove', 'move', 'undefined', 'function', 'array', 'toJSON'),
            )
            .map(([key, change]) => {
              const echo: Record<string, unknown> = { ...known };
              const value = echo[key];
              if (change === 'remove' || change === 'move') delete echo[key];
              if (change === 'move') echo[key] = value;
              if (change === 'undefined') echo[key] = undefined;
              if (change === 'function') echo[key] = () => 1;
              if (change === 'array') echo[key] = [];
              if (change === 'toJSON') echo[key] = { toJSON: () => 'replaced' };
              return echo;
            }),
        ),
        (echo) => {
          expect(formatRequestEchoMembers(asEcho(echo))).toBe(stringifiedMembers(echo));
        },
      ),
      { numRuns: 500, seed: 20_261_202 },
    );
    const withToJson = Object.assign(Object.create({ toJSON: () => ({ a: 1 }) }), known);
    expect(formatRequestEchoMembers(withToJson)).toBe('"a":1');
    const hidden = Object.defineProperty({ ...known }, 'toJSON', { value: () => ({ b: 2 }) });
    expect(formatRequestEchoMembers(hidden)).toBe('"b":2');
    const inherited = Object.assign(Object.create({ extra: 1 }), known);
    expect(formatRequestEchoMembers(inherited)).toBe(stringifiedMembers(inherited));
  });
});
