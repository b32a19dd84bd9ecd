import { createToolName, createToolUseId } from '../mapping/create-tool-use-id';
import { repairToolInputJson } from '../mapping/repair-tool-input-json';
import type { AnthropicStreamTransformState } from './anthropic-stream-transform-state';
import {
  formatAnthropicEvent,
  formatBlockDeltaEvent,
  formatBlockStopEvent,
} from './format-anthropic-event';

/**
 * Appends a text or thinking delta, opening the block first when a different one is open (that
 * one is closed). While tool calls are being collected the delta is held and follows them, so
 * blocks keep the upstream's order and a call is never cut by text streamed between its parts.
 */
export function emitBlockDelta({
  state,
  kind,
  text,
  textJson,
}: {
  state: AnthropicStreamTransformState;
  kind: 'text' | 'thinking';
  text: string;
  /** `JSON.stringify(text)`, when the caller has it (emitBlockDeltaJson) */
  textJson?: string | undefined;
}): string {
  if (state.pendingToolCalls.length > 0) {
    const last = state.heldDeltas.at(-1);
    if (last?.kind === kind) last.text += text;
    else state.heldDeltas.push({ kind, text });
    return '';
  }
  let output = '';
  if (state.openBlock !== kind) {
    output += closeOpenBlock(state);
    state.openBlock = kind;
    output += formatAnthropicEvent({
      type: 'content_block_start',
      index: state.nextBlockIndex,
      content_block:
        kind === 'text'
          ? { type: 'text', text: '' }
          : { type: 'thinking', thinking: '', signature: '' },
    });
  }
  return output + formatBlockDeltaEvent({ index: state.nextBlockIndex, kind, text, textJson });
}

/** Closes the open text or thinking block, if any. */
export function closeOpenBlock(state: AnthropicStreamTransformState): string {
  if (state.openBlock === null) return '';
  const index = state.nextBlockIndex;
  state.openBlock = null;
  state.nextBlockIndex++;
  return formatBlockStopEvent(index);
}

/**
 * Ends the content: emits every collected tool call as a complete `tool_use` block in upstream
 * index order — start (id and name known by now, synthesised when the upstream never sent
 * them), one `input_json_delta` whose text is a valid JSON object (repaired when the upstream's
 * was not), stop — then the deltas held behind them, and closes the last block. Holding a call
 * back until it is complete is what makes the upstream's late id the id used and the
 * concatenated input always parse.
 */
export function flushContentBlocks(state: AnthropicStreamTransformState): string {
  let output = '';
  if (state.pendingToolCalls.length > 0) {
    output += closeOpenBlock(state);
    const calls = [...state.pendingToolCalls].sort((a, b) => a.index - b.index);
    state.pendingToolCalls = [];
    for (const call of calls) {
      const position = state.emittedToolIndexes.length;
      const index = state.nextBlockIndex;
      output += formatAnthropicEvent({
        type: 'content_block_start',
        index,
        content_block: {
          type: 'tool_use',
          id: createToolUseId({ upstreamId: call.id, messageId: state.messageId, position }),
          name: createToolName({ name: call.name, position }),
          input: {},
        },
      });
      output += formatAnthropicEvent({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: repairToolInputJson(call.arguments) },
      });
      output += formatBlockStopEvent(index);
      state.nextBlockIndex++;
      state.emittedToolIndexes.push(call.index);
    }
    const held = state.heldDeltas;
    state.heldDeltas = [];
    for (const delta of held) output += emitBlockDelta({ state, ...delta });
  }
  return output + closeOpenBlock(state);
}
