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
  const promptDetails = isPlainObject(value.prompt_tokens_details)
    ? value.prompt_tokens_details
    : NO_MEMBERS;
  // the empty spread first: on Node 20 a member added after a leading spread of a non-empty
  // object (a usage without `total_tokens`, details without `cached_tokens`) takes V8's slow path
  // (~0.5 µs each); after an empty one it does not. Members keep the order they had.
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

const NO_MEMBERS: Readonly<Record<string, never>> = Object.freeze({});

function readCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
