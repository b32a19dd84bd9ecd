import { isQwenRelayError } from '@qwen-relay/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNestedValue, createRequestBodyArbitrary } from './create-request-body-arbitrary';
import { REQUEST_FUZZ_TARGETS } from './request-fuzz-targets';
import { serializeJson } from './serialize-json';

describe.each(REQUEST_FUZZ_TARGETS)('parser fuzz: $name', (target) => {
  /** What the route would do with `body` up to the upstream call, as a status. */
  function runParser(body: unknown): number {
    const result = target.safeParse(body);
    if (!result.success) {
      const { status, body: envelope } = target.convertError(result.error);
      expect(target.isErrorEnvelope(envelope)).toBe(true);
      return status;
    }
    let payload: unknown;
    try {
      payload = target.convert(result.data);
    } catch (error) {
      // a mapping may refuse a request too, but only as a typed client error
      expect(isQwenRelayError(error)).toBe(true);
      return target.convertError(error).status;
    }
    // the proxy serialises the payload for the upstream: this must not throw either
    expect(typeof JSON.stringify(payload)).toBe('string');
    return 200;
  }

  it('accepts its valid body', () => {
    expect(runParser(JSON.parse(JSON.stringify(target.validBody)))).toBe(200);
  });

  it('never throws and never answers 5xx, whatever the body', () => {
    fc.assert(
      fc.property(createRequestBodyArbitrary(target), (body) => {
        // what the proxy sees: the JSON text of the body, parsed again
        const status = runParser(JSON.parse(serializeJson(body)));
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 400, seed: 11_2026 },
    );
  });

  it('refuses deep nesting with a 400 naming the top-level field', () => {
    for (const field of ['metadata', 'stream_options', 'extra_field', ...target.fieldPaths]) {
      if (field.includes('.')) continue;
      const body = {
        ...target.validBody,
        [field]: createNestedValue({ depth: 5_000, kind: 'object' }),
      };
      const result = target.safeParse(body);
      expect(result.success, field).toBe(false);
      if (result.success) continue;
      const { status, body: envelope } = target.convertError(result.error);
      expect(status).toBe(400);
      expect(target.isErrorEnvelope(envelope)).toBe(true);
      expect(JSON.stringify(envelope)).toContain(`'${field}'`);
    }
  });
});
