import { isPlainObject } from '../validation/field-checks';

/**
 * Repairs the tool-call deltas of one streamed choice. Qwen repeats `"id":""` and
 * `"type":"function"` on continuation deltas (docs/qwen-upstream.md §2.6); clients that start a new
 * call whenever they see an `id` key break on that. Invariant defended here: exactly one delta per
 * call carries `id`/`type`/`name` (the first), continuations carry only `index` and non-empty
 * `arguments`, and a delta for a call that never started (no id and no name) is dropped rather
 * than starting a phantom call. `startedToolCalls` is the stream state (`<choice>:<index>`).
 * Returns undefined when the deltas need no change.
 */
export function repairToolCallDeltas({
  toolCalls,
  choiceIndex,
  startedToolCalls,
  chunkId,
}: {
  toolCalls: unknown[];
  choiceIndex: number;
  startedToolCalls: string[];
  chunkId: string;
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
        : guessIndex({ startedToolCalls, choiceIndex, isStart: id !== '' || name !== '' });
    const key = `${choiceIndex}:${index}`;
    if (!startedToolCalls.includes(key)) {
      if (id === '' && name === '') {
        changed = true; // phantom: nothing identifies a call to attach it to
        continue;
      }
      startedToolCalls.push(key);
      const isCanonical =
        item.index === index &&
        id !== '' &&
        item.type === 'function' &&
        name !== '' &&
        fn?.arguments === args;
      if (isCanonical) {
        repaired.push(item);
        continue;
      }
      changed = true;
      repaired.push({
        index,
        id: id !== '' ? id : `call_${chunkId.replace(/^chatcmpl-/, '')}_${choiceIndex}_${index}`,
        type: 'function',
        function: { name, arguments: args },
      });
      continue;
    }
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
  }
  return changed ? repaired : undefined;
}

/** Whether any tool call of this choice has started. */
export function hasStartedToolCalls({
  startedToolCalls,
  choiceIndex,
}: {
  startedToolCalls: readonly string[];
  choiceIndex: number;
}): boolean {
  const prefix = `${choiceIndex}:`;
  return startedToolCalls.some((key) => key.startsWith(prefix));
}

// a delta without `index`: a new call takes the next index, a continuation the latest one
function guessIndex({
  startedToolCalls,
  choiceIndex,
  isStart,
}: {
  startedToolCalls: readonly string[];
  choiceIndex: number;
  isStart: boolean;
}): number {
  const prefix = `${choiceIndex}:`;
  let count = 0;
  let latest = 0;
  for (const key of startedToolCalls) {
    if (!key.startsWith(prefix)) continue;
    count++;
    latest = Number(key.slice(prefix.length));
  }
  if (isStart) return count;
  return latest;
}
