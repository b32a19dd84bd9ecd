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
import { createChatStreamTransform } from './stream/create-chat-stream-transform';
import type { StreamTransformState } from './stream/restore-stream-transform';

describe('runSseTransformTask (piscina entry)', () => {
  it.each(FIXTURE_NAMES)(
    '%s: batched tasks across a structuredClone boundary equal the inline run',
    (name) => {
      const bytes = loadFixture(name);
      const parts = splitAt({
        bytes,
        offsets: randomOffsets({ length: bytes.length, count: 30, seed: name.length }),
      });
      const inline = runTransform({ parts, clientModel: 'qwen3-coder-plus', includeUsage: true });

      let state: StreamTransformState = createChatStreamTransform({
        clientModel: 'qwen3-coder-plus',
        includeUsage: true,
      }).getState();
      const outputs: Uint8Array[] = [];
      let last: SseTransformTaskResult | undefined;
      for (let start = 0; start < parts.length; start += 4) {
        const batch = parts.slice(start, start + 4);
        const end = start + 4 >= parts.length;
        // what piscina does: the task and its result are structured-cloned between threads
        last = structuredClone(runSseTransformTask(structuredClone({ state, chunks: batch, end })));
        outputs.push(last.output);
        state = last.state;
      }
      expect(decodeAll(outputs)).toBe(inline.text);
      expect(last?.summary).toEqual(inline.summary);
    },
  );

  it.each(FIXTURE_NAMES)(
    '%s: the Anthropic translation runs the same way (the state names the protocol)',
    (name) => {
      const bytes = loadFixture(name);
      const parts = splitAt({
        bytes,
        offsets: randomOffsets({ length: bytes.length, count: 30, seed: name.length }),
      });
      const inline = runAnthropicTransform({ parts });
      let state: StreamTransformState = createAnthropicStreamTransform({
        clientModel: 'claude-sonnet-4-5',
        messageId: 'msg_test01',
        estimatedInputTokens: 42,
      }).getState();
      const outputs: Uint8Array[] = [];
      let last: SseTransformTaskResult | undefined;
      for (let start = 0; start < parts.length; start += 4) {
        const batch = parts.slice(start, start + 4);
        const end = start + 4 >= parts.length;
        last = structuredClone(runSseTransformTask(structuredClone({ state, chunks: batch, end })));
        outputs.push(last.output);
        state = last.state;
      }
      expect(decodeAll(outputs)).toBe(inline.text);
      expect(inline.text).toContain('event: ');
      expect(last?.summary).toEqual(inline.summary);
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
      const bytes = loadFixture(name);
      const parts = splitAt({
        bytes,
        offsets: randomOffsets({ length: bytes.length, count: 30, seed: name.length + 1 }),
      });
      const failure = { message: 'cut', type: 'upstream_error', code: 'stream_truncated' };
      const inline = runResponsesTransform({ parts, failure });
      let state: StreamTransformState = createResponsesStreamTransform({
        context: createTestContext(),
      }).getState();
      const outputs: Uint8Array[] = [];
      let last: SseTransformTaskResult | undefined;
      for (let start = 0; start < parts.length; start += 4) {
        const batch = parts.slice(start, start + 4);
        const end = start + 4 >= parts.length;
        const task: SseTransformTask = end
          ? { state, chunks: batch, end, failure }
          : { state, chunks: batch, end };
        last = structuredClone(runSseTransformTask(structuredClone(task)));
        outputs.push(last.output);
        state = last.state;
      }
      expect(decodeAll(outputs)).toBe(inline.text);
      expect(last?.summary).toEqual(inline.summary);
    },
  );
});
