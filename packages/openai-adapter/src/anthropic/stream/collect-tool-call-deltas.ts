import { isPlainObject } from '../../validation/field-checks';
import type { PendingToolCall } from './anthropic-stream-transform-state';

/**
 * Adds one chunk's `delta.tool_calls` to the calls being collected, keyed by the upstream index.
 * A call keeps the first non-empty id and name it is given (Qwen repeats `"id":""` on
 * continuations; some providers send the id only after an empty one), and every argument
 * fragment in order. A delta that names no call (no id, no name) still counts: it belongs to its
 * index, so a call streamed without name or id is kept, never dropped. A delta without `index`
 * starts a new call when it brings a new id, else continues the latest call.
 *
 * Why not the shared `repairToolCallChunk` stage chat uses: that stage streams each call as it
 * comes and holds a call back for at most one delta, synthesising the id when the upstream's
 * arrives later than that. A `tool_use` block needs more: its input must concatenate to valid
 * JSON (repaired only once the arguments are complete) and the upstream's id must win however
 * late it arrives, so this translation holds every call whole until the content ends. The
 * shared guarantees hold here too: no call with content is dropped, and a missing name becomes
 * `createToolCallName` (`tool_<n>`), as on chat.
 */
export function collectToolCallDeltas({
  toolCalls,
  pending,
  emittedIndexes,
}: {
  toolCalls: unknown[];
  pending: PendingToolCall[];
  /** upstream indexes already emitted as blocks: a late fragment for one of them is dropped */
  emittedIndexes: ReadonlySet<number>;
}): void {
  for (const item of toolCalls) {
    if (!isPlainObject(item)) continue;
    const fn = isPlainObject(item.function) ? item.function : undefined;
    const id = typeof item.id === 'string' ? item.id : '';
    const name = typeof fn?.name === 'string' ? fn.name : '';
    const fragment = typeof fn?.arguments === 'string' ? fn.arguments : '';
    const index =
      typeof item.index === 'number' && Number.isInteger(item.index)
        ? item.index
        : guessIndex({ pending, id, emittedCount: emittedIndexes.size });
    if (emittedIndexes.has(index)) continue;
    let call = pending.find((candidate) => candidate.index === index);
    if (!call) {
      if (id === '' && name === '' && fragment === '') continue; // nothing to keep yet
      call = { index, id: '', name: '', arguments: '' };
      pending.push(call);
    }
    if (call.id === '' && id !== '') call.id = id;
    if (call.name === '' && name !== '') call.name = name;
    call.arguments += fragment;
  }
}

function guessIndex({
  pending,
  id,
  emittedCount,
}: {
  pending: readonly PendingToolCall[];
  id: string;
  emittedCount: number;
}): number {
  const latest = pending.at(-1);
  if (latest === undefined) return emittedCount;
  const isNewCall = id !== '' && latest.id !== '' && latest.id !== id;
  return isNewCall ? latest.index + 1 : latest.index;
}
