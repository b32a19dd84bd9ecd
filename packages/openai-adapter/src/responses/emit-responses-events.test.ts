import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createResponseObject } from './create-response-object';
import {
  formatResponseEvent,
  formatResponsesEvent,
  formatTextDeltaEvent,
} from './emit-responses-events';
import type { ResponsesStreamTransformState } from './responses-stream-transform-state';
import type { ResponseContext } from './responses-types';

// the two formatters read and advance nothing but the sequence number
const stateAt = (sequenceNumber: number) =>
  ({ sequenceNumber }) as unknown as ResponsesStreamTransformState;

describe('formatTextDeltaEvent', () => {
  it('is byte for byte what formatResponsesEvent gives, and advances the sequence number alike', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.string({ unit: 'binary' }),
        fc.string(),
        fc.constantFrom('message' as const, 'reasoning' as const),
        (sequenceNumber, outputIndex, delta, itemId, kind) => {
          const fast = stateAt(sequenceNumber);
          const slow = stateAt(sequenceNumber);
          const expected =
            kind === 'message'
              ? formatResponsesEvent({
                  state: slow,
                  type: 'response.output_text.delta',
                  fields: {
                    item_id: itemId,
                    output_index: outputIndex,
                    content_index: 0,
                    delta,
                    logprobs: [],
                  },
                })
              : formatResponsesEvent({
                  state: slow,
                  type: 'response.reasoning_summary_text.delta',
                  fields: { item_id: itemId, output_index: outputIndex, summary_index: 0, delta },
                });
          expect(formatTextDeltaEvent({ state: fast, kind, itemId, outputIndex, delta })).toBe(
            expected,
          );
          expect(fast.sequenceNumber).toBe(slow.sequenceNumber);
        },
      ),
    );
  });

  it('keeps quotes, escapes, control characters and lone surrogates as JSON.stringify does', () => {
    for (const delta of ['"', '\\', '\n\t\u0000\u001f', '日本語 😀', '\ud800', '</script>']) {
      const slow = stateAt(7);
      expect(
        formatTextDeltaEvent({
          state: stateAt(7),
          kind: 'message',
          itemId: 'msg_1',
          outputIndex: 2,
          delta,
        }),
      ).toBe(
        formatResponsesEvent({
          state: slow,
          type: 'response.output_text.delta',
          fields: { item_id: 'msg_1', output_index: 2, content_index: 0, delta, logprobs: [] },
        }),
      );
    }
  });
});

describe('formatResponseEvent', () => {
  it('is byte for byte what formatResponsesEvent gives for { response }', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.string({ unit: 'binary' }),
        fc.string(),
        fc.constantFrom('response.created', 'response.in_progress', 'response.completed'),
        (sequenceNumber, instructions, clientModel, type) => {
          const context = {
            responseId: 'resp_1',
            createdAtInSeconds: 1_775_000_000,
            clientModel,
            echo: { instructions, tools: [{ type: 'function', name: 'f', parameters: {} }] },
            toolNames: {},
          } as unknown as ResponseContext;
          const response = createResponseObject({ context, status: 'in_progress' });
          const slow = stateAt(sequenceNumber);
          const fast = stateAt(sequenceNumber);
          expect(
            formatResponseEvent({ state: fast, type, responseJson: JSON.stringify(response) }),
          ).toBe(formatResponsesEvent({ state: slow, type, fields: { response } }));
          expect(fast.sequenceNumber).toBe(slow.sequenceNumber);
        },
      ),
    );
  });
});
