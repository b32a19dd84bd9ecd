import type { UpstreamStreamError } from '../../errors/upstream-stream-error';
import { convertErrorFinish } from '../../mapping/convert-upstream-error-object';
import { convertUsage } from '../../mapping/convert-usage';
import {
  isNonEmptyTextJson,
  isStringifiedSpelling,
  parseTextString,
} from '../../stream/scan-plain-delta-chunk';
import { isPlainObject } from '../../validation/field-checks';
import { convertUsageToAnthropicUsage } from '../mapping/convert-usage-to-anthropic-usage';
import {
  mapFinishReasonToStopReason,
  readMatchedStopSequence,
} from '../mapping/map-finish-reason-to-stop-reason';
import type { AnthropicStreamTransformState } from './anthropic-stream-transform-state';
import { collectToolCallDeltas } from './collect-tool-call-deltas';
import { emitBlockDelta, flushContentBlocks } from './emit-content-blocks';
import {
  ANTHROPIC_MESSAGE_STOP_EVENT,
  ANTHROPIC_PING_EVENT,
  formatAnthropicEvent,
} from './format-anthropic-event';

/** Outcome of one upstream chunk: Anthropic SSE text (maybe empty), or an in-band error. */
export type AnthropicChunkResult =
  | { kind: 'output'; text: string }
  | { kind: 'error'; error: UpstreamStreamError };

/**
 * One parsed upstream `chat.completion.chunk` → Anthropic events. The first chunk opens the
 * message (`message_start` with the full usage object, then a `ping`); choice 0's
 * `reasoning_content` and `content` stream as thinking and text blocks; tool calls are collected
 * (see flushContentBlocks); `finish_reason` ends the content; usage is kept for `message_delta`,
 * which waits for `[DONE]` because Qwen sends usage after the finish chunk.
 */
export function applyChunkToAnthropicStream({
  state,
  chunk,
}: {
  state: AnthropicStreamTransformState;
  chunk: Record<string, unknown>;
}): AnthropicChunkResult {
  let output = startMessage(state);
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  const choice = choices.find(
    (candidate: unknown) => isPlainObject(candidate) && (candidate.index ?? 0) === 0,
  ) as Record<string, unknown> | undefined;
  if (choice) {
    const delta = isPlainObject(choice.delta) ? choice.delta : {};
    if (choice.finish_reason === 'error_finish') {
      return {
        kind: 'error',
        error: convertErrorFinish(typeof delta.content === 'string' ? delta.content : ''),
      };
    }
    output += emitDeltaBlocks({
      state,
      reasoning: delta.reasoning_content,
      content: delta.content,
    });
    if (Array.isArray(delta.tool_calls)) {
      collectToolCallDeltas({
        toolCalls: delta.tool_calls,
        pending: state.pendingToolCalls,
        emittedIndexes: new Set(state.emittedToolIndexes),
      });
    }
    if (typeof choice.finish_reason === 'string' && state.finishReason === null) {
      state.finishReason = choice.finish_reason;
      state.stopSequence = readMatchedStopSequence({
        choice,
        stopSequences: state.stopSequences,
      });
      output += flushContentBlocks(state);
    }
  }
  const usage = convertUsage(chunk.usage);
  if (usage) state.usage = usage;
  return { kind: 'output', text: output };
}

/** A delta's reasoning and content as parsed (undefined when absent), for the stream `state`. */
interface DeltaTexts {
  state: AnthropicStreamTransformState;
  reasoning: unknown;
  content: unknown;
}

/**
 * What applyChunkToAnthropicStream does with a plain delta chunk (matchQwenDeltaChunk: one choice
 * of index 0, no finish reason, usage or tool calls), from the members it reads: the message
 * opened, then the thinking and text deltas.
 */
export function applyPlainDeltaToAnthropicStream({
  state,
  reasoning,
  content,
}: DeltaTexts): string {
  return startMessage(state) + emitDeltaBlocks({ state, reasoning, content });
}

// a delta's thinking, then its text (an empty or non-string one emits nothing)
function emitDeltaBlocks({ state, reasoning, content }: DeltaTexts): string {
  let output = '';
  if (typeof reasoning === 'string' && reasoning !== '') {
    output += emitBlockDelta({ state, kind: 'thinking', text: reasoning });
  }
  if (typeof content === 'string' && content !== '') {
    output += emitBlockDelta({ state, kind: 'text', text: content });
  }
  return output;
}

/**
 * applyPlainDeltaToAnthropicStream for a delta in Qwen's layout, its texts given as their JSON
 * (matchQwenDeltaChunk's groups 1 and 2): each parsed only when it has an escape, and written as
 * it came when it is what JSON.stringify would write (isStringifiedSpelling).
 */
export function applyQwenDeltaToAnthropicStream({
  state,
  reasoningJson,
  contentJson,
}: {
  state: AnthropicStreamTransformState;
  reasoningJson: string | undefined;
  contentJson: string | undefined;
}): string {
  let output = startMessage(state);
  if (isNonEmptyTextJson(reasoningJson)) {
    output += emitBlockDeltaJson({ state, kind: 'thinking', json: reasoningJson });
  }
  if (isNonEmptyTextJson(contentJson)) {
    output += emitBlockDeltaJson({ state, kind: 'text', json: contentJson });
  }
  return output;
}

// emitBlockDelta for a text given as its JSON (a TEXT_STRING text)
function emitBlockDeltaJson({
  state,
  kind,
  json,
}: {
  state: AnthropicStreamTransformState;
  kind: 'text' | 'thinking';
  json: string;
}): string {
  return emitBlockDelta({
    state,
    kind,
    text: parseTextString(json),
    textJson: isStringifiedSpelling(json) ? json : undefined,
  });
}

/** Opens the message once: `message_start` (usage complete, input from the estimate) and a `ping`. */
export function startMessage(state: AnthropicStreamTransformState): string {
  if (state.started) return '';
  state.started = true;
  return (
    formatAnthropicEvent({
      type: 'message_start',
      message: {
        id: state.messageId,
        type: 'message',
        role: 'assistant',
        model: state.clientModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: convertUsageToAnthropicUsage({
          usage: null,
          fallbackInputTokens: state.estimatedInputTokens,
        }),
      },
    }) + ANTHROPIC_PING_EVENT
  );
}

/**
 * `[DONE]`: ends the content if the finish chunk did not, then `message_delta` (stop reason,
 * stop sequence and the cumulative usage, every field present) and `message_stop`.
 */
export function finishAnthropicMessage(state: AnthropicStreamTransformState): string {
  let output = startMessage(state);
  output += flushContentBlocks(state);
  output += formatAnthropicEvent({
    type: 'message_delta',
    delta: {
      stop_reason: mapFinishReasonToStopReason({
        finishReason: state.finishReason,
        hasToolUse: state.emittedToolIndexes.length > 0,
        stopSequence: state.stopSequence,
      }),
      stop_sequence: state.stopSequence,
    },
    usage: convertUsageToAnthropicUsage({
      usage: state.usage,
      fallbackInputTokens: state.estimatedInputTokens,
    }),
  });
  return output + ANTHROPIC_MESSAGE_STOP_EVENT;
}
