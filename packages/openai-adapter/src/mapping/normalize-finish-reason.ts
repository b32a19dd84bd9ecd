import type { FinishReason } from '../types/chat-completion';

const KNOWN_FINISH_REASONS = new Set([
  'stop',
  'length',
  'tool_calls',
  'content_filter',
  'function_call',
]);

/**
 * Qwen → OpenAI finish reason. Some streams say `stop` although tool calls were produced
 * (docs/qwen-upstream.md §2.6 variation 2): clients decide whether to run tools from this field, so
 * it becomes `tool_calls`. Unknown values become `stop`; `error_finish` is handled by the callers
 * as an error before it gets here.
 */
export function normalizeFinishReason({
  finishReason,
  hasToolCalls,
}: {
  finishReason: unknown;
  hasToolCalls: boolean;
}): FinishReason {
  if (
    hasToolCalls &&
    (finishReason === 'stop' || finishReason === null || finishReason === undefined)
  ) {
    return 'tool_calls';
  }
  if (typeof finishReason === 'string' && KNOWN_FINISH_REASONS.has(finishReason)) {
    return finishReason as FinishReason;
  }
  return 'stop';
}
