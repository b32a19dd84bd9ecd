import {
  convertReasoningEffortForModel,
  type ModelThinkingOptions,
} from '../../mapping/convert-reasoning-effort-for-model';
import { selectThinkingKnob } from '../../mapping/select-thinking-knob';
import type { ReasoningEffort } from '../../types/chat-completion-request';
import type { AnthropicThinkingConfig } from '../types/anthropic-messages-request';

// tiered models take no budget: a budget picks the tier whose budget (low 1,024, medium 8,192,
// high unbounded, as `convertReasoningEffort`) it is nearest to on a log scale
const LOW_TIER_MAX_BUDGET_IN_TOKENS = 2_896;
const MEDIUM_TIER_MAX_BUDGET_IN_TOKENS = 16_384;

function readEffortOfBudget(budgetInTokens: number): ReasoningEffort {
  if (budgetInTokens <= LOW_TIER_MAX_BUDGET_IN_TOKENS) return 'low';
  if (budgetInTokens <= MEDIUM_TIER_MAX_BUDGET_IN_TOKENS) return 'medium';
  return 'high';
}

/**
 * Anthropic `thinking` → the thinking control of the model's family (`selectThinkingKnob`), the
 * same one chat's `reasoning_effort` goes through: `enabled` gives budget-knob families
 * `enable_thinking` with `budget_tokens` as `thinking_budget`, and tiered models (qwen3.8+) the
 * tier nearest that budget; `adaptive` is OpenAI's `high` (on, model-sized); `disabled` is
 * `none` (off, or the lowest setting of a thinking-only model). Absent: nothing, the model's
 * default applies.
 */
export function convertAnthropicThinking({
  thinking,
  model,
}: {
  thinking: AnthropicThinkingConfig | undefined;
  model: string;
}): ModelThinkingOptions {
  switch (thinking?.type) {
    case 'enabled':
      if (selectThinkingKnob(model) === 'thinking-budget') {
        return { enable_thinking: true, thinking_budget: thinking.budget_tokens };
      }
      return convertReasoningEffortForModel({
        model,
        effort: readEffortOfBudget(thinking.budget_tokens),
      });
    case 'adaptive':
      return convertReasoningEffortForModel({ model, effort: 'high' });
    case 'disabled':
      return convertReasoningEffortForModel({ model, effort: 'none' });
    default:
      return {};
  }
}
