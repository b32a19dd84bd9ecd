import type { ReasoningEffort } from '../types/chat-completion-request';
import { convertReasoningEffort, type ThinkingOptions } from './convert-reasoning-effort';
import { isThinkingOnlyModel, selectThinkingKnob } from './select-thinking-knob';

/** Thinking fields for the upstream body: a tiered effort, or the DashScope budget knobs. */
export interface ModelThinkingOptions extends ThinkingOptions {
  /** qwen3.8-style tier: `low`, `medium`, `xhigh`, or `none` (off) */
  reasoning_effort?: 'none' | 'low' | 'medium' | 'xhigh';
}

/**
 * Maps an OpenAI-style effort onto the control `model` takes. Tiered models (qwen3.8+) get
 * `reasoning_effort` passed through with OpenAI's `high` mapped to their top tier `xhigh` and
 * `minimal` to `low`; the others get `enable_thinking` / `thinking_budget` as before. A
 * thinking-only model never gets thinking turned off: `none` / `minimal` become its lowest
 * setting instead.
 */
export function convertReasoningEffortForModel({
  model,
  effort,
}: {
  model: string;
  effort: ReasoningEffort;
}): ModelThinkingOptions {
  const thinkingOnly = isThinkingOnlyModel(model);
  if (selectThinkingKnob(model) === 'reasoning-effort') {
    switch (effort) {
      case 'none':
        return { reasoning_effort: thinkingOnly ? 'low' : 'none' };
      case 'minimal':
      case 'low':
        return { reasoning_effort: 'low' };
      case 'medium':
        return { reasoning_effort: 'medium' };
      default:
        return { reasoning_effort: 'xhigh' };
    }
  }
  const options = convertReasoningEffort(effort);
  if (thinkingOnly && options.enable_thinking === false) {
    return { enable_thinking: true, thinking_budget: 1024 };
  }
  return options;
}
