import { convertUsage } from '../mapping/convert-usage';
import type { Usage } from '../types/chat-completion';
import { isPlainObject } from '../validation/field-checks';

/**
 * A native Responses `usage` (`input_tokens`, `output_tokens`, `input_tokens_details`,
 * `output_tokens_details`) → chat usage, so a passed-through answer is counted like a
 * translated one. Undefined when the value is not a usage object.
 */
export function convertResponseUsageToUsage(value: unknown): Usage | undefined {
  if (!isPlainObject(value)) return undefined;
  const inputDetails = isPlainObject(value.input_tokens_details) ? value.input_tokens_details : {};
  const outputDetails = isPlainObject(value.output_tokens_details)
    ? value.output_tokens_details
    : undefined;
  return convertUsage({
    prompt_tokens: value.input_tokens,
    completion_tokens: value.output_tokens,
    total_tokens: value.total_tokens,
    prompt_tokens_details: { cached_tokens: inputDetails.cached_tokens },
    ...(outputDetails === undefined
      ? {}
      : { completion_tokens_details: { reasoning_tokens: outputDetails.reasoning_tokens } }),
  });
}
