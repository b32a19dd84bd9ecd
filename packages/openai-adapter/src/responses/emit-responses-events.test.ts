import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createResponseObject } from './create-response-object';
import {
  emitCloseOpenItem,
  emitTextDelta,
  formatResponseEvent,
  formatResponsesEvent,
  formatTextDeltaEvent,
} from './emit-responses-events';
import {
  createResponsesStreamTransformState,
  type ResponsesStreamTransformState,
} from './responses-stream-transform-state';
import type { ResponseContext, ResponseOutputItem } from './responses-types';

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

/*
 * The reference for the item events built as text: formatResponsesEvent with the fields the
 * Responses grammar gives each event (docs/plans-and-protocols.md §2.3), written out here.
 */
interface ItemAt {
  state: ResponsesStreamTransformState;
  item: ResponseOutputItem;
  outputIndex: number;
}

function formatOpenedItemByFields({ state, item, outputIndex }: ItemAt): string {
  const opened =
    item.type === 'message' ? { ...item, content: [] } : { ...item, summary: [] as unknown[] };
  const [partIndexField, partAdded, part] =
    item.type === 'message'
      ? ([
          'content_index',
          'response.content_part.added',
          { type: 'output_text', text: '', annotations: [] },
        ] as const)
      : ([
          'summary_index',
          'response.reasoning_summary_part.added',
          { type: 'summary_text', text: '' },
        ] as const);
  if (item.type === 'message') opened.status = 'in_progress';
  return (
    formatResponsesEvent({
      state,
      type: 'response.output_item.added',
      fields: { output_index: outputIndex, item: opened },
    }) +
    formatResponsesEvent({
      state,
      type: partAdded,
      fields: { item_id: item.id, output_index: outputIndex, [partIndexField]: 0, part },
    })
  );
}

function formatClosedItemByFields({ state, item, outputIndex }: ItemAt): string {
  if (item.type !== 'message' && item.type !== 'reasoning') throw new Error('a text item');
  const part = item.type === 'message' ? item.content[0] : item.summary[0];
  if (part === undefined) throw new Error('its part');
  const ids =
    item.type === 'message'
      ? { item_id: item.id, output_index: outputIndex, content_index: 0 }
      : { item_id: item.id, output_index: outputIndex, summary_index: 0 };
  const [textDone, partDone] =
    item.type === 'message'
      ? (['response.output_text.done', 'response.content_part.done'] as const)
      : (['response.reasoning_summary_text.done', 'response.reasoning_summary_part.done'] as const);
  return (
    formatResponsesEvent({
      state,
      type: textDone,
      fields:
        item.type === 'message'
          ? { ...ids, text: part.text, logprobs: [] }
          : { ...ids, text: part.text },
    }) +
    formatResponsesEvent({ state, type: partDone, fields: { ...ids, part } }) +
    formatResponsesEvent({
      state,
      type: 'response.output_item.done',
      fields: { output_index: outputIndex, item },
    })
  );
}

describe('the message and reasoning item events, built as text', () => {
  const context = {
    responseId: 'resp_0b5e"\\2a7c',
    createdAtInSeconds: 1_775_000_000,
    clientModel: 'coder-model',
    echo: {},
    toolNames: {},
  } as unknown as ResponseContext;

  it('open and close items byte for byte as formatResponsesEvent would, whatever their text', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('message' as const, 'reasoning' as const),
            fc.string({ unit: 'binary', maxLength: 12 }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        fc.nat(1_000),
        fc.constantFrom('completed' as const, 'incomplete' as const),
        (deltas, firstSequenceNumber, closingStatus) => {
          const state = createResponsesStreamTransformState({ context });
          state.sequenceNumber = firstSequenceNumber;
          let expected = '';
          let actual = '';
          for (const [kind, delta] of deltas) {
            const before = state.output.length;
            const openBefore = state.openItemIndex;
            const closedItem = state.output[openBefore];
            const reference = { ...state, sequenceNumber: state.sequenceNumber };
            actual += emitTextDelta({ state, kind, delta });
            // what that call emitted, rebuilt from fields: the close of the other kind's item,
            // the opening of a new item, then the delta
            if (closedItem !== undefined && closedItem.type !== kind) {
              expected += formatClosedItemByFields({
                state: reference,
                item: closedItem,
                outputIndex: openBefore,
              });
            }
            if (state.output.length > before) {
              const opened = state.output[before] as ResponseOutputItem;
              expected += formatOpenedItemByFields({
                state: reference,
                item: opened,
                outputIndex: before,
              });
            }
            const item = state.output[state.openItemIndex] as ResponseOutputItem;
            expected += formatTextDeltaEvent({
              state: reference,
              kind,
              itemId: item.id,
              outputIndex: state.openItemIndex,
              delta,
            });
            expect(reference.sequenceNumber).toBe(state.sequenceNumber);
          }
          const lastIndex = state.openItemIndex;
          const reference = { ...state, sequenceNumber: state.sequenceNumber };
          actual += emitCloseOpenItem({ state, status: closingStatus });
          expected += formatClosedItemByFields({
            state: reference,
            item: state.output[lastIndex] as ResponseOutputItem,
            outputIndex: lastIndex,
          });
          expect(actual).toBe(expected);
          expect(reference.sequenceNumber).toBe(state.sequenceNumber);
          expect(state.openItemIndex).toBe(-1);
          const last = state.output[lastIndex];
          if (last?.type === 'message') expect(last.status).toBe(closingStatus);
        },
      ),
      { numRuns: 300, seed: 20_261_202 },
    );
  });
});
