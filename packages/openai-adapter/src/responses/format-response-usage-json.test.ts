import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertUsageToResponseUsage } from './convert-usage-to-response-usage';
import { formatResponseUsageJson } from './format-response-usage-json';
import type { ResponseUsage } from './responses-types';

const count = fc.oneof(fc.nat(), fc.constant(0), fc.maxSafeNat(), fc.double({ noNaN: true }));

describe('formatResponseUsageJson', () => {
  it('writes what JSON.stringify writes for every usage convertUsageToResponseUsage makes', () => {
    fc.assert(
      fc.property(
        count,
        count,
        count,
        count,
        count,
        (prompt, completion, total, cached, reasoning) => {
          const usage = convertUsageToResponseUsage({
            prompt_tokens: prompt,
            completion_tokens: completion,
            total_tokens: total,
            prompt_tokens_details: { cached_tokens: cached },
            completion_tokens_details: { reasoning_tokens: reasoning },
          });
          expect(formatResponseUsageJson(usage)).toBe(JSON.stringify(usage));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('serialises a count that is not finite, and any other shape, as JSON.stringify does', () => {
    const base = (): ResponseUsage => ({
      input_tokens: 3,
      input_tokens_details: { cached_tokens: 1 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 5,
    });
    const odd: unknown[] = [
      { ...base(), total_tokens: Number.POSITIVE_INFINITY },
      { ...base(), input_tokens: Number.NaN },
      { ...base(), output_tokens_details: { reasoning_tokens: -0 } },
      { ...base(), extra: 'kept' },
      { ...base(), input_tokens_details: { cached_tokens: 1, audio_tokens: 4 } },
      { ...base(), input_tokens: '3' },
      (() => {
        const { output_tokens_details: _details, ...rest } = base();
        return rest;
      })(),
      // the same members in another order
      {
        total_tokens: 5,
        input_tokens: 3,
        input_tokens_details: { cached_tokens: 1 },
        output_tokens: 2,
        output_tokens_details: { reasoning_tokens: 0 },
      },
    ];
    for (const usage of odd) {
      expect(formatResponseUsageJson(usage as ResponseUsage)).toBe(JSON.stringify(usage));
    }
  });
});
