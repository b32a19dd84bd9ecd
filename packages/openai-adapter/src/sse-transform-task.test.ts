import { describe, expect, it } from 'vitest';
import { runAnthropicTransform } from '../test/anthropic-stream-helpers';
import { createTestContext, runResponsesTransform } from '../test/responses-helpers';
import {
  decodeAll,
  FIXTURE_NAMES,
  loadFixture,
  randomOffsets,
  runTransform,
  splitAt,
} from '../test/stream-helpers';
import { createAnthropicStreamTransform } from './anthropic/stream/create-anthropic-stream-transform';
import { createResponsesStreamTransform } from './responses/create-responses-stream-transform';
import runSseTransformTask, {
  type SseTransformTask,
  type SseTransformTaskResult,
} from './sse-transform-task';
import type { StreamFailure, StreamSummary } from './stream/chat-stream-transform-state';
import { createChatStreamTransform } from './stream/create-chat-stream-transform';
import type { StreamTransformState } from './stream/restore-stream-transform';

// a recorded stream cut at 30 pseudo-random places
function splitFixture({ name, seed }: { name: string; seed: number }): Uint8Array[] {
  const bytes = loadFixture(name);
  return splitAt({ bytes, offsets: randomOffsets({ length: bytes.length, count: 30, seed }) });
}

// what piscina does: tasks of 4 reads each, the task and its result structured-cloned between threads
function runInTasks({
  state,
  parts,
  failure,
}: {
  state: StreamTransformState;
  parts: readonly Uint8Array[];
  failure?: StreamFailure;
}): { text: string; summary: StreamSummary | undefined } {
  let current = state;
  const outputs: Uint8Array[] = [];
  let last: SseTransformTaskResult | undefined;
  for (let start = 0; start < parts.length; start += 4) {
    const chunks = parts.slice(start, start + 4);
    const end = start + 4 >= parts.length;
    const task: SseTransformTask =
      end && failure !== undefined
        ? { state: current, chunks, end, failure }
        : { state: current, chunks, end };
    last = structuredClone(runSseTransformTask(structuredClone(task)));
    outputs.push(last.output);
    current = last.state;
  }
  return { text: decodeAll(outputs), summary: last?.summary };
}

describe('runSseTransformTask (piscina entry)', () => {
  it.each(FIXTURE_NAMES)(
    '%s: batched tasks across a structuredClone boundary equal the inline run',
    (name) => {
      const parts = splitFixture({ name, seed: name.length });
      const inline = runTransform({ parts, clientModel: 'qwen3-coder-plus', includeUsage: true });
      const state = createChatStreamTransform({
        clientModel: 'qwen3-coder-plus',
        includeUsage: true,
      }).getState();
      const tasks = runInTasks({ state, parts });
      expect(tasks.text).toBe(inline.text);
      expect(tasks.summary).toEqual(inline.summary);
    },
  );

  it.each(FIXTURE_NAMES)(
    '%s: the Anthropic translation runs the same way (the state names the protocol)',
    (name) => {
      const parts = splitFixture({ name, seed: name.length });
      const inline = runAnthropicTransform({ parts });
      const state = createAnthropicStreamTransform({
        clientModel: 'claude-sonnet-4-5',
        messageId: 'msg_test01',
        estimatedInputTokens: 42,
      }).getState();
      const tasks = runInTasks({ state, parts });
      expect(tasks.text).toBe(inline.text);
      expect(inline.text).toContain('event: ');
      expect(tasks.summary).toEqual(inline.summary);
    },
  );

  it('returns no summary until the end and an empty output for an empty batch', () => {
    const state = createChatStreamTransform({ clientModel: 'm', includeUsage: false }).getState();
    const result = runSseTransformTask({ state, chunks: [], end: false });
    expect(result.output).toEqual(new Uint8Array(0));
    expect(result.summary).toBeUndefined();
  });

  it.each(FIXTURE_NAMES)(
    '%s: a Responses stream runs through the same task entry with the same bytes as inline',
    (name) => {
      const parts = splitFixture({ name, seed: name.length + 1 });
      const failure = { message: 'cut', type: 'upstream_error', code: 'stream_truncated' };
      const inline = runResponsesTransform({ parts, failure });
      const state = createResponsesStreamTransform({ context: createTestContext() }).getState();
      const tasks = runInTasks({ state, parts, failure });
      expect(tasks.text).toBe(inline.text);
      expect(tasks.summary).toEqual(inline.summary);
    },
  );
});
