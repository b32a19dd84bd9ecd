import { expect } from 'vitest';
import {
  createResponsesStreamTransform,
  type StreamFailure,
  type StreamSummary,
} from '../src/index';
import type { ResponseContext } from '../src/internal';
import { parseNamedEvents, runStreamTransform } from './stream-helpers';

/** A fixed response context (fixed id and time, so outputs can be compared byte for byte). */
export function createTestContext(overrides: Partial<ResponseContext> = {}): ResponseContext {
  return {
    responseId: 'resp_test',
    createdAtInSeconds: 1_775_000_000,
    clientModel: 'qwen3-coder-plus',
    echo: {
      instructions: null,
      max_output_tokens: null,
      metadata: {},
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: null, summary: null },
      store: false,
      temperature: null,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [],
      top_p: null,
      user: null,
    },
    toolNames: { custom: [], namespaced: {} },
    ...overrides,
  };
}

/** Runs the Responses transform over the parts (see runStreamTransform). */
export function runResponsesTransform({
  parts,
  context = createTestContext(),
  restoreEachTime = false,
  failure,
}: {
  parts: readonly Uint8Array[];
  context?: ResponseContext;
  restoreEachTime?: boolean;
  failure?: StreamFailure;
}): { text: string; summary: StreamSummary } {
  const transform = createResponsesStreamTransform({ context });
  return runStreamTransform({
    transform,
    parts,
    restoreEachTime,
    ...(failure === undefined ? {} : { failure }),
  });
}

/** One parsed Responses event. */
export type ResponsesEvent = Record<string, unknown> & { type: string; sequence_number: number };

/** Parses `event:` + `data:` blocks, checking that each event line names its payload's type. */
export function parseResponsesEvents(text: string): ResponsesEvent[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return parseNamedEvents(text).map(({ data }) => data as ResponsesEvent);
}

/**
 * Checks the Responses event grammar the way a strict client would: sequence numbers 0, 1, 2…;
 * created then in_progress first; exactly one terminal event, last; every item added before its
 * deltas and done exactly once, with contiguous output indexes.
 */
export function expectValidEventGrammar(events: readonly ResponsesEvent[]): void {
  expect(events.map((event) => event.sequence_number)).toEqual(
    events.map((_event, position) => position),
  );
  expect(events[0]?.type).toBe('response.created');
  expect(events[1]?.type).toBe('response.in_progress');
  const terminal = ['response.completed', 'response.incomplete', 'response.failed'];
  expect(events.filter((event) => terminal.includes(event.type))).toHaveLength(1);
  expect(terminal).toContain(events.at(-1)?.type);
  const added = new Map<number, string>();
  const done = new Set<number>();
  for (const event of events) {
    if (event.type === 'response.output_item.added') {
      const index = event.output_index as number;
      expect(index).toBe(added.size);
      added.set(index, (event.item as { id: string }).id);
      continue;
    }
    if (event.type === 'response.output_item.done') {
      const index = event.output_index as number;
      expect(added.has(index)).toBe(true);
      expect(done.has(index)).toBe(false);
      done.add(index);
      continue;
    }
    if (typeof event.output_index === 'number') {
      expect(added.get(event.output_index)).toBe(event.item_id);
      expect(done.has(event.output_index)).toBe(false);
    }
  }
}

/** The terminal event's response. */
export function readFinalResponse(events: readonly ResponsesEvent[]): Record<string, unknown> {
  return events.at(-1)?.response as Record<string, unknown>;
}
