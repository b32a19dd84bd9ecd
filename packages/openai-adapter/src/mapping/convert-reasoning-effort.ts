import type { ReasoningEffort } from '../types/chat-completion-request';

/** DashScope thinking knobs. */
export interface ThinkingOptions {
  enable_thinking?: boolean;
  thinking_budget?: number;
}

/**
 * OpenAI `reasoning_effort` → DashScope `enable_thinking` / `thinking_budget`, as earlier
 * proxies do (docs/qwen-upstream.md §2.3): none → off; low → 1,024; medium → 8,192; high → on
 * without a budget. `minimal` (GPT-5: "few or no reasoning tokens") is off; `xhigh` is like high.
 */
export function convertReasoningEffort(effort: ReasoningEffort): ThinkingOptions {
  switch (effort) {
    case 'none':
    case 'minimal':
      return { enable_thinking: false };
    case 'low':
      return { enable_thinking: true, thinking_budget: 1024 };
    case 'medium':
      return { enable_thinking: true, thinking_budget: 8192 };
    default:
      return { enable_thinking: true };
  }
}
