import type { AnthropicStopReason } from '../types/anthropic-message';

/**
 * Chat `finish_reason` → Anthropic `stop_reason`. A response with tool calls is `tool_use`
 * whatever the upstream said (Qwen streams say `stop` after tool calls, and Claude Code runs
 * tools only on `tool_use`); `length` → `max_tokens`; a reported stop sequence →
 * `stop_sequence`; everything else (incl. `content_filter` and a missing reason) → `end_turn`.
 */
export function mapFinishReasonToStopReason({
  finishReason,
  hasToolUse,
  stopSequence,
}: {
  finishReason: string | null | undefined;
  hasToolUse: boolean;
  stopSequence: string | null;
}): AnthropicStopReason {
  if (hasToolUse) return 'tool_use';
  if (finishReason === 'length') return 'max_tokens';
  if (finishReason === 'tool_calls') return 'end_turn';
  if (stopSequence !== null) return 'stop_sequence';
  return 'end_turn';
}

/**
 * Which of the requested stop sequences ended the output, when the upstream says so (vLLM-style
 * `stop_reason` / `matched_stop` on the choice); null otherwise (DashScope does not report it).
 */
export function readMatchedStopSequence({
  choice,
  stopSequences,
}: {
  choice: Record<string, unknown>;
  stopSequences: readonly string[];
}): string | null {
  if (stopSequences.length === 0 || choice.finish_reason !== 'stop') return null;
  for (const field of ['stop_reason', 'matched_stop'] as const) {
    const value = choice[field];
    if (typeof value === 'string' && stopSequences.includes(value)) return value;
  }
  return null;
}
