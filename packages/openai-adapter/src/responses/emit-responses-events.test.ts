import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createResponseObject } from './create-response-object';
import {
  emitCloseOpenItem,
  emitFinish,
  emitStart,
  emitTextDelta,
  formatResponseEvent,
  formatResponseJson,
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

describe('the response object, built as text', () => {
  const usageArbitrary = fc.option(
    fc.record({
      prompt_tokens: fc.nat(),
      completion_tokens: fc.nat(),
      total_tokens: fc.nat(),
      prompt_tokens_details: fc.record({ cached_tokens: fc.nat() }),
    }),
  );
  // echoes as createRequestEcho makes them, and arbitrary ones: members that would replace one
  // of the response's own (model, id, output…) must come out where the object spread puts them
  const echoArbitrary = fc.oneof(
    fc.record({
      instructions: fc.option(fc.string({ unit: 'binary' })),
      metadata: fc.dictionary(fc.string(), fc.string({ unit: 'binary' })),
      tools: fc.array(fc.record({ type: fc.constant('function'), name: fc.string() })),
      text: fc.record({ format: fc.constant({ type: 'text' }) }),
      tool_choice: fc.constantFrom('auto', 'none', 'required'),
    }),
    fc.dictionary(
      fc.constantFrom('model', 'id', 'output', 'usage', 'status', 'user', 'tools', '"quoted"'),
      fc.jsonValue(),
    ),
    fc.constant({}),
  );
  const contextWith = (echo: unknown, clientModel: string) =>
    ({
      responseId: 'resp_0b5e"\\2a7c',
      createdAtInSeconds: 1_775_000_000,
      clientModel,
      echo,
      toolNames: { custom: ['apply_patch'], namespaced: {} },
    }) as unknown as ResponseContext;

  it('formatResponseJson is JSON.stringify of createResponseObject for the same fields', () => {
    fc.assert(
      fc.property(
        echoArbitrary,
        fc.string({ unit: 'binary' }),
        fc.constantFrom('in_progress' as const, 'completed' as const, 'incomplete' as const),
        fc.option(fc.constantFrom('max_output_tokens' as const, 'content_filter' as const)),
        fc.array(fc.record({ type: fc.constant('message'), id: fc.string() })),
        usageArbitrary,
        (echo, clientModel, status, reason, output, usage) => {
          const context = contextWith(echo, clientModel);
          const responseUsage =
            usage === null
              ? null
              : {
                  input_tokens: usage.prompt_tokens,
                  input_tokens_details: { cached_tokens: 0 },
                  output_tokens: usage.completion_tokens,
                  output_tokens_details: { reasoning_tokens: 0 },
                  total_tokens: usage.total_tokens,
                };
          const incomplete = reason === null ? {} : { incompleteReason: reason };
          const state = createResponsesStreamTransformState({ context });
          // twice: the second call reads the echo kept by the first
          for (let round = 0; round < 2; round++) {
            expect(
              formatResponseJson({
                state,
                status,
                outputJson: JSON.stringify(output),
                usage: responseUsage,
                ...incomplete,
              }),
            ).toBe(
              JSON.stringify(
                createResponseObject({
                  context,
                  status,
                  output: output as ResponseOutputItem[],
                  usage: responseUsage,
                  ...incomplete,
                }),
              ),
            );
          }
        },
      ),
      { numRuns: 300, seed: 20_261_202 },
    );
  });

  it('the start and the terminal events carry the response object JSON.stringify gives', () => {
    fc.assert(
      fc.property(
        echoArbitrary,
        fc.array(
          fc.tuple(
            fc.constantFrom('message' as const, 'reasoning' as const),
            fc.string({ unit: 'binary', maxLength: 12 }),
          ),
          { maxLength: 6 },
        ),
        fc.array(
          fc.record({
            name: fc.constantFrom('read_file', 'apply_patch'),
            arguments: fc.oneof(fc.string(), fc.constant('{"input":"*** Begin Patch"}')),
          }),
          { maxLength: 3 },
        ),
        fc.constantFrom(null, 'stop', 'length', 'tool_calls', 'content_filter'),
        usageArbitrary,
        fc.boolean(),
        (echo, deltas, calls, finishReason, usage, fromOlderBuild) => {
          const context = contextWith(echo, 'coder-model');
          const state = createResponsesStreamTransformState({ context, keepFinalResponse: true });
          const events = [emitStart(state)];
          for (const [kind, delta] of deltas) events.push(emitTextDelta({ state, kind, delta }));
          state.toolCalls = calls.map((call, index) => ({ index, id: `call_${index}`, ...call }));
          state.finishReason = finishReason;
          state.usage = usage;
          // a state restored from a build that kept no item texts: the output is serialised
          if (fromOlderBuild) delete state.outputJson;
          events.push(emitFinish(state));
          const lines = events
            .join('')
            .split('\n')
            .filter((line) => line.startsWith('data: '));
          const parse = (line: string | undefined) => JSON.parse((line ?? '').slice(6));
          const incompleteReason =
            finishReason === 'length'
              ? ('max_output_tokens' as const)
              : finishReason === 'content_filter'
                ? ('content_filter' as const)
                : undefined;
          const status = incompleteReason === undefined ? 'completed' : 'incomplete';
          const terminal = createResponseObject({
            context,
            status,
            output: state.output,
            usage:
              usage === null
                ? null
                : {
                    input_tokens: usage.prompt_tokens,
                    input_tokens_details: {
                      cached_tokens: usage.prompt_tokens_details.cached_tokens,
                    },
                    output_tokens: usage.completion_tokens,
                    output_tokens_details: { reasoning_tokens: 0 },
                    total_tokens: usage.total_tokens,
                  },
            ...(incompleteReason === undefined ? {} : { incompleteReason }),
          });
          const last = lines.at(-1) ?? '';
          const { sequence_number: lastNumber } = parse(last);
          expect(last).toBe(
            `data: ${JSON.stringify({ type: `response.${status}`, response: terminal, sequence_number: lastNumber })}`,
          );
          expect(state.finalResponse).toEqual(JSON.parse(JSON.stringify(terminal)));
          const started = createResponseObject({ context, status: 'in_progress' });
          for (const [index, type] of ['response.created', 'response.in_progress'].entries()) {
            expect(lines[index]).toBe(
              `data: ${JSON.stringify({ type, response: started, sequence_number: index })}`,
            );
          }
          // every item's done event carries the item as the terminal response has it
          const done = lines
            .map(parse)
            .filter((event) => event.type === 'response.output_item.done');
          expect(done.map((event) => event.item)).toEqual(terminal.output);
        },
      ),
      { numRuns: 300, seed: 20_261_202 },
    );
  });
});
