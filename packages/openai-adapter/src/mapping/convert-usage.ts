import type { Usage } from '../types/chat-completion';
import { isPlainObject } from '../validation/field-checks';

/**
 * Normalises a Qwen usage object to OpenAI's shape: the three counters are numbers
 * (`total_tokens` computed when missing) and `prompt_tokens_details.cached_tokens` is present.
 * Qwen's extra detail fields (cache creation, text/reasoning split) are kept. Undefined when
 * the value is not a usage object.
 */
export function convertUsage(value: unknown): Usage | undefined {
  if (!isPlainObject(value)) return undefined;
  const promptTokens = readCount(value.prompt_tokens);
  const completionTokens = readCount(value.completion_tokens);
  const usage: Usage = {
    ...value,
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens:
      typeof value.total_tokens === 'number' ? value.total_tokens : promptTokens + completionTokens,
  };
  const promptDetails = isPlainObject(value.prompt_tokens_details)
    ? value.prompt_tokens_details
    : {};
  usage.prompt_tokens_details = {
    ...promptDetails,
    cached_tokens: readCount(promptDetails.cached_tokens),
  };
  if (isPlainObject(value.completion_tokens_details)) {
    usage.completion_tokens_details = { ...value.completion_tokens_details };
  }
  return usage;
}

function readCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
