import { isPlainObject } from '../validation/field-checks';
import {
  hasStartedToolCalls,
  releaseHeldToolCalls,
  repairToolCallDeltas,
} from './repair-tool-call-deltas';
import type { ToolCallRepairState } from './tool-call-repair-state';

/**
 * The tool-call repair stage, shared by every translation of upstream chat chunks (OpenAI chat,
 * and the Anthropic Messages and Responses translations): repairs one parsed
 * `chat.completion.chunk` in place (see repairToolCallDeltas), sends a choice's held calls before
 * its finish, and turns `finish_reason: "stop"` into `"tool_calls"` once calls were streamed
 * (Qwen says `stop`, docs/qwen-upstream.md §2.6). Run every chunk of a stream through it, in
 * order, with one state; call flushToolCallRepair at `[DONE]`. Returns true when it changed
 * the chunk.
 */
export function repairToolCallChunk({
  chunk,
  state,
}: {
  chunk: Record<string, unknown>;
  state: ToolCallRepairState;
}): boolean {
  if (!Array.isArray(chunk.choices)) return false;
  let changed = false;
  const completionId = typeof chunk.id === 'string' ? chunk.id : '';
  const created = typeof chunk.created === 'number' ? chunk.created : 0;
  for (let position = 0; position < chunk.choices.length; position++) {
    const choice: unknown = chunk.choices[position];
    if (!isPlainObject(choice)) continue;
    const choiceIndex = typeof choice.index === 'number' ? choice.index : position;
    let delta = isPlainObject(choice.delta) ? choice.delta : undefined;
    let toolCalls = delta && Array.isArray(delta.tool_calls) ? delta.tool_calls : undefined;
    let choiceChanged = false;
    if (toolCalls !== undefined) {
      const repaired = repairToolCallDeltas({
        toolCalls,
        choiceIndex,
        state,
        completionId,
        created,
      });
      if (repaired !== undefined) {
        toolCalls = repaired;
        choiceChanged = true;
      }
    }
    const finishReason = choice.finish_reason;
    if (finishReason !== null && finishReason !== undefined) {
      // the finish is the last bound of a hold: held calls go out with this chunk
      const released = releaseHeldToolCalls({ state, choiceIndex });
      if (released.length > 0) {
        toolCalls = [...(toolCalls ?? []), ...released];
        choiceChanged = true;
      }
      if (finishReason === 'stop' && hasStartedToolCalls({ state, choiceIndex })) {
        choice.finish_reason = 'tool_calls';
        changed = true;
      }
    }
    if (!choiceChanged) continue;
    changed = true;
    if (delta === undefined) {
      delta = {};
      choice.delta = delta;
    }
    if (toolCalls !== undefined && toolCalls.length > 0) delta.tool_calls = toolCalls;
    else delete delta.tool_calls;
  }
  return changed;
}

/**
 * The end of a stream (`[DONE]`) with calls still held (no finish chunk came): a chunk starting
 * them, so none is dropped, or undefined when nothing is held. `model` is written into it.
 */
export function flushToolCallRepair({
  state,
  model,
}: {
  state: ToolCallRepairState;
  model: string;
}): Record<string, unknown> | undefined {
  const [first] = state.heldToolCalls;
  if (first === undefined) return undefined;
  const choiceIndexes = [...new Set(state.heldToolCalls.map((call) => call.choiceIndex))];
  const choices = choiceIndexes
    .map((choiceIndex) => ({
      index: choiceIndex,
      delta: { tool_calls: releaseHeldToolCalls({ state, choiceIndex }) },
      finish_reason: null,
    }))
    .filter((choice) => choice.delta.tool_calls.length > 0);
  if (choices.length === 0) return undefined;
  return {
    id: first.completionId,
    object: 'chat.completion.chunk',
    created: first.created,
    model,
    choices,
  };
}
