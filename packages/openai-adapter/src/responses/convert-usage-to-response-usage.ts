import type { Usage } from '../types/chat-completion';
import type { ResponseUsage } from './responses-types';

/** Chat usage → Responses usage (cached input tokens and reasoning tokens always present). */
export function convertUsageToResponseUsage(usage: Usage): ResponseUsage {
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: readCount(usage.prompt_tokens_details?.cached_tokens) },
    output_tokens: usage.completion_tokens,
    output_tokens_details: {
      reasoning_tokens: readCount(usage.completion_tokens_details?.reasoning_tokens),
    },
    total_tokens: usage.total_tokens,
  };
}

function readCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
