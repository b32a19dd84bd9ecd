/** A tool call whose first deltas are held back until its id (or name) is known. */
export interface HeldToolCall {
  /** the chunk `id` and `created` it arrived in: for a synthesised id and a flushed chunk */
  completionId: string;
  created: number;
  choiceIndex: number;
  index: number;
  id: string;
  name: string;
  arguments: string;
}

/**
 * What the tool-call repair stage remembers across chunks, as plain data (structured-clone-able),
 * so it can live inside a larger stream state and travel to workers.
 */
export interface ToolCallRepairState {
  /** calls already started (their one start delta sent), as `<choice index>:<tool call index>` */
  startedToolCalls: string[];
  /** calls seen without an id or name yet, in arrival order (at most a few per choice) */
  heldToolCalls: HeldToolCall[];
}

/** Fresh state for a new stream. */
export function createToolCallRepairState(): ToolCallRepairState {
  return { startedToolCalls: [], heldToolCalls: [] };
}

/**
 * True when the stage has seen no tool call: it then leaves every chunk as it is (no call to
 * release at a finish, no `stop` to turn into `tool_calls`).
 */
export function holdsNoToolCalls(state: ToolCallRepairState): boolean {
  return state.startedToolCalls.length === 0 && state.heldToolCalls.length === 0;
}

/** A copy that shares nothing mutable with `state`. */
export function cloneToolCallRepairState(state: ToolCallRepairState): ToolCallRepairState {
  return {
    startedToolCalls: [...state.startedToolCalls],
    heldToolCalls: (state.heldToolCalls ?? []).map((call) => ({ ...call })),
  };
}
