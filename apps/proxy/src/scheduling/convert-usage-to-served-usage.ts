import type { Usage } from '@qwen-relay/openai-adapter';
import type { ServedRequest } from './create-quota-scheduling';

/** OpenAI usage → the counts the scheduling records (cached tokens from prompt_tokens_details). */
export function convertUsageToServedUsage(usage: Usage | undefined): ServedRequest['usage'] {
  if (usage === undefined) return undefined;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens,
  };
}
