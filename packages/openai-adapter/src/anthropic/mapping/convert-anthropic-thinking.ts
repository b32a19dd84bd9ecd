import type { ThinkingOptions } from '../../mapping/convert-reasoning-effort';
import type { AnthropicThinkingConfig } from '../types/anthropic-messages-request';

/**
 * Anthropic `thinking` → DashScope's thinking knobs: `enabled` turns thinking on with
 * `budget_tokens` as `thinking_budget`, `adaptive` turns it on and lets the model size it,
 * `disabled` turns it off. Absent: nothing is sent and the model's default applies.
 */
export function convertAnthropicThinking(
  thinking: AnthropicThinkingConfig | undefined,
): ThinkingOptions {
  switch (thinking?.type) {
    case 'enabled':
      return { enable_thinking: true, thinking_budget: thinking.budget_tokens };
    case 'adaptive':
      return { enable_thinking: true };
    case 'disabled':
      return { enable_thinking: false };
    default:
      return {};
  }
}
