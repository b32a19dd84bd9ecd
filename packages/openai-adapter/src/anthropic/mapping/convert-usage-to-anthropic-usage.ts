import type { Usage } from '../../types/chat-completion';
import type { AnthropicUsage } from '../types/anthropic-message';

/**
 * Chat usage → Anthropic usage with every field present: `input_tokens` is the uncached part of
 * the prompt (prompt − cached), `cache_read_input_tokens` the cached part, and
 * `cache_creation_input_tokens` 0 (the chat upstream does not bill cache writes separately).
 * Without usage, `fallbackInputTokens` (the local estimate) stands in for the prompt.
 */
export function convertUsageToAnthropicUsage({
  usage,
  fallbackInputTokens = 0,
}: {
  usage: Usage | null | undefined;
  fallbackInputTokens?: number;
}): AnthropicUsage {
  if (!usage) {
    return {
      input_tokens: fallbackInputTokens,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    };
  }
  const cached = Math.min(usage.prompt_tokens_details?.cached_tokens ?? 0, usage.prompt_tokens);
  return {
    input_tokens: usage.prompt_tokens - cached,
    output_tokens: usage.completion_tokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}
