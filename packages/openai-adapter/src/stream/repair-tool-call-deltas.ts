import { createToolCallId, createToolCallName } from '../tool-calls/synthesize-tool-call-fields';
import { isPlainObject } from '../validation/field-checks';
import type { HeldToolCall, ToolCallRepairState } from './tool-call-repair-state';

/**
 * Repairs the tool-call deltas of one streamed choice (docs/qwen-upstream.md §2.6). Invariants
 * defended here:
 * - exactly one delta per call carries `id`/`type`/`name` (its start); continuations carry only
 *   `index` and non-empty `arguments` (Qwen repeats `"id":""` and `"type"` on them, and clients
 *   that start a call whenever they see an `id` key break on that);
 * - the upstream's id is kept: a call's first delta without an id (or name) is held back until
 *   the call's next delta, a delta of another call of the choice, or the finish, whichever comes
 *   first, and sent then with what arrived meanwhile (the hold is bounded by one delta);
 * - no call with content is dropped: what never arrived is synthesised (`call_…` id,
 *   `tool_<index>` name). Only a call with no id, no name and no arguments is dropped.
 * Returns the deltas to send now, or undefined when `toolCalls` needs no change.
 */
export function repairToolCallDeltas({
  toolCalls,
  choiceIndex,
  state,
  completionId,
  created,
}: {
  toolCalls: unknown[];
  choiceIndex: number;
  state: ToolCallRepairState;
  completionId: string;
  created: number;
}): unknown[] | undefined {
  let changed = false;
  const repaired: unknown[] = [];
  for (const item of toolCalls) {
    if (!isPlainObject(item)) {
      changed = true;
      continue;
    }
    const fn = isPlainObject(item.function) ? item.function : undefined;
    const id = typeof item.id === 'string' ? item.id : '';
    const name = typeof fn?.name === 'string' ? fn.name : '';
    const args = typeof fn?.arguments === 'string' ? fn.arguments : '';
    const index =
      typeof item.index === 'number'
        ? item.index
        : guessIndex({ state, choiceIndex, isStart: id !== '' || name !== '' });
    const key = `${choiceIndex}:${index}`;
    if (state.startedToolCalls.includes(key)) {
      const isCanonicalContinuation =
        args !== '' &&
        item.index === index &&
        fn !== undefined &&
        Object.keys(item).length === 2 &&
        Object.keys(fn).length === 1;
      if (isCanonicalContinuation) {
        repaired.push(item);
        continue;
      }
      changed = true;
      if (args !== '') repaired.push({ index, function: { arguments: args } });
      continue;
    }
    // a delta of this call ends the hold of the choice's other held calls
    const released = releaseHeldToolCalls({ state, choiceIndex, exceptIndex: index });
    if (released.length > 0) {
      changed = true;
      repaired.push(...released);
    }
    const held = state.heldToolCalls.find(
      (call) => call.choiceIndex === choiceIndex && call.index === index,
    );
    if (held !== undefined) {
      // the call's next delta: the bound of the hold; send the start with everything known now
      changed = true;
      held.arguments += args;
      if (id !== '') held.id = id;
      if (name !== '') held.name = name;
      state.heldToolCalls.splice(state.heldToolCalls.indexOf(held), 1);
      const start = startHeldToolCall({ state, call: held });
      if (start !== undefined) repaired.push(start);
      continue;
    }
    if (id === '' || name === '') {
      changed = true;
      state.heldToolCalls.push({
        completionId,
        created,
        choiceIndex,
        index,
        id,
        name,
        arguments: args,
      });
      continue;
    }
    state.startedToolCalls.push(key);
    const isCanonicalStart =
      item.index === index && item.type === 'function' && fn?.arguments === args;
    if (isCanonicalStart) {
      repaired.push(item);
      continue;
    }
    changed = true;
    repaired.push({ index, id, type: 'function', function: { name, arguments: args } });
  }
  return changed ? repaired : undefined;
}

/**
 * Ends the hold of the held calls of one choice (all but `exceptIndex`): their start deltas, with
 * whatever is missing synthesised, in arrival order. Calls with nothing in them are dropped.
 */
export function releaseHeldToolCalls({
  state,
  choiceIndex,
  exceptIndex,
}: {
  state: ToolCallRepairState;
  choiceIndex: number;
  exceptIndex?: number;
}): unknown[] {
  const starts: unknown[] = [];
  if (state.heldToolCalls.length === 0) return starts;
  const kept: HeldToolCall[] = [];
  for (const call of state.heldToolCalls) {
    if (call.choiceIndex !== choiceIndex || call.index === exceptIndex) {
      kept.push(call);
      continue;
    }
    const start = startHeldToolCall({ state, call });
    if (start !== undefined) starts.push(start);
  }
  state.heldToolCalls = kept;
  return starts;
}

/** Whether any tool call of this choice has started. */
export function hasStartedToolCalls({
  state,
  choiceIndex,
}: {
  state: ToolCallRepairState;
  choiceIndex: number;
}): boolean {
  const prefix = `${choiceIndex}:`;
  return state.startedToolCalls.some((key) => key.startsWith(prefix));
}

function startHeldToolCall({
  state,
  call,
}: {
  state: ToolCallRepairState;
  call: HeldToolCall;
}): Record<string, unknown> | undefined {
  if (call.id === '' && call.name === '' && call.arguments === '') return undefined;
  state.startedToolCalls.push(`${call.choiceIndex}:${call.index}`);
  return {
    index: call.index,
    id:
      call.id !== ''
        ? call.id
        : createToolCallId({
            completionId: call.completionId,
            choiceIndex: call.choiceIndex,
            index: call.index,
          }),
    type: 'function',
    function: {
      name: call.name !== '' ? call.name : createToolCallName(call.index),
      arguments: call.arguments,
    },
  };
}

// a delta without `index`: a new call takes the next index, a continuation the latest one
function guessIndex({
  state,
  choiceIndex,
  isStart,
}: {
  state: ToolCallRepairState;
  choiceIndex: number;
  isStart: boolean;
}): number {
  const prefix = `${choiceIndex}:`;
  let count = 0;
  let latest = 0;
  for (const key of state.startedToolCalls) {
    if (!key.startsWith(prefix)) continue;
    count++;
    latest = Number(key.slice(prefix.length));
  }
  for (const call of state.heldToolCalls) {
    if (call.choiceIndex !== choiceIndex) continue;
    count++;
    latest = call.index;
  }
  if (isStart) return count;
  return latest;
}
