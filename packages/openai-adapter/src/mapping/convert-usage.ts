import type { Usage } from '../types/chat-completion';
import { isPlainObject } from '../validation/field-checks';
import { NO_MEMBERS } from '../validation/no-members';

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
  const promptDetails = isPlainObject(value.prompt_tokens_details)
    ? value.prompt_tokens_details
    : NO_MEMBERS;
  // NO_MEMBERS first: a usage without `total_tokens`, or details without `cached_tokens`, would
  // take Node 20's slow path for the member added
  return {
    ...NO_MEMBERS,
    ...value,
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens:
      typeof value.total_tokens === 'number' ? value.total_tokens : promptTokens + completionTokens,
    prompt_tokens_details: {
      ...NO_MEMBERS,
      ...promptDetails,
      cached_tokens: readCount(promptDetails.cached_tokens),
    },
    ...(isPlainObject(value.completion_tokens_details)
      ? { completion_tokens_details: { ...value.completion_tokens_details } }
      : {}),
  };
}

function readCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
