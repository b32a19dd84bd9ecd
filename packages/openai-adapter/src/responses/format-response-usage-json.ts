import { hasKeysInOrder } from './has-keys-in-order';
import type { ResponseUsage } from './responses-types';

const USAGE_KEYS = [
  'input_tokens',
  'input_tokens_details',
  'output_tokens',
  'output_tokens_details',
  'total_tokens',
] as const;
const INPUT_DETAILS_KEYS = ['cached_tokens'] as const;
const OUTPUT_DETAILS_KEYS = ['reasoning_tokens'] as const;

/**
 * `JSON.stringify(usage)`, written from a template when the usage has the shape
 * convertUsageToResponseUsage makes and every count is a finite number (a count's text is then
 * what JSON.stringify writes for it); anything else is serialised. The terminal event of every
 * Responses stream carries it: the template costs about a tenth of the serialisation (54 against
 * 491 ns on Node 20). The tests hold both to JSON.stringify.
 */
export function formatResponseUsageJson(usage: ResponseUsage): string {
  const { input_tokens_details: input, output_tokens_details: output } = usage;
  if (
    hasKeysInOrder(usage, USAGE_KEYS) &&
    hasKeysInOrder(input, INPUT_DETAILS_KEYS) &&
    hasKeysInOrder(output, OUTPUT_DETAILS_KEYS) &&
    Number.isFinite(usage.input_tokens) &&
    Number.isFinite(input.cached_tokens) &&
    Number.isFinite(usage.output_tokens) &&
    Number.isFinite(output.reasoning_tokens) &&
    Number.isFinite(usage.total_tokens)
  ) {
    return `{"input_tokens":${usage.input_tokens},"input_tokens_details":{"cached_tokens":${input.cached_tokens}},"output_tokens":${usage.output_tokens},"output_tokens_details":{"reasoning_tokens":${output.reasoning_tokens}},"total_tokens":${usage.total_tokens}}`;
  }
  return JSON.stringify(usage);
}
