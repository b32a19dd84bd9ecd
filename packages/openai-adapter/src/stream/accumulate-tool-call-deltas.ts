import { isPlainObject } from '../validation/field-checks';

/** A tool call assembled from stream deltas. */
export interface AccumulatedToolCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

/**
 * Adds one chunk's `delta.tool_calls` to the calls gathered so far (mutates `toolCalls`). Calls
 * are keyed by `index`; a delta without one continues the latest call unless it names a new
 * one. The upstream's id and name are taken whenever they first arrive, even on a later delta
 * than the first; Qwen's `"id":""` on continuations changes nothing; a call that never gets a
 * name or id is still kept (the caller decides what to call it). A different non-empty id on an
 * index that already has one starts a new call (providers that put parallel calls on index 0).
 */
export function accumulateToolCallDeltas({
  toolCalls,
  deltas,
}: {
  toolCalls: AccumulatedToolCall[];
  deltas: readonly unknown[];
}): void {
  for (const delta of deltas) {
    if (!isPlainObject(delta)) continue;
    const fn = isPlainObject(delta.function) ? delta.function : undefined;
    const id = typeof delta.id === 'string' ? delta.id : '';
    const name = typeof fn?.name === 'string' ? fn.name : '';
    const args = typeof fn?.arguments === 'string' ? fn.arguments : '';
    let index =
      typeof delta.index === 'number'
        ? delta.index
        : id !== '' || name !== '' || toolCalls.length === 0
          ? nextIndex(toolCalls)
          : (toolCalls.at(-1)?.index ?? 0);
    let call = toolCalls.find((candidate) => candidate.index === index);
    if (call && id !== '' && call.id !== '' && call.id !== id) {
      index = nextIndex(toolCalls);
      call = undefined;
    }
    if (!call) {
      call = { index, id: '', name: '', arguments: '' };
      toolCalls.push(call);
    }
    if (call.id === '' && id !== '') call.id = id;
    if (call.name === '' && name !== '') call.name = name;
    call.arguments += args;
  }
}

function nextIndex(toolCalls: readonly AccumulatedToolCall[]): number {
  let next = 0;
  for (const call of toolCalls) next = Math.max(next, call.index + 1);
  return next;
}
