import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRawRequest } from '../support/send-raw-request';
import { startTestEnvironment, type TestEnvironment } from '../support/start-test-environment';
import { createNestedValue, createRequestBodyArbitrary } from './create-request-body-arbitrary';
import { REQUEST_FUZZ_TARGETS } from './request-fuzz-targets';
import { serializeJson } from './serialize-json';

describe('HTTP fuzz against the built proxy: no 5xx, always an envelope', () => {
  let environment: TestEnvironment;
  beforeAll(async () => {
    environment = await startTestEnvironment({
      fakeOptions: { embeddings: true },
      env: { LOG_LEVEL: 'warn', MAX_RETRIES: '0' },
    });
  });
  afterAll(async () => {
    await environment.close();
  });

  async function post({ path, body }: { path: string; body: string }) {
    return sendRawRequest({
      url: environment.proxy.url,
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      body,
    });
  }

  describe.each(REQUEST_FUZZ_TARGETS)('$name ($path)', (target) => {
    function expectAnswer({ status, text }: { status: number; text: string }): void {
      expect(status, text.slice(0, 300)).toBeLessThan(500);
      if (status >= 400) expect(target.isErrorEnvelope(JSON.parse(text)), text).toBe(true);
    }

    it('answers mutated bodies below 500, errors as envelopes', async () => {
      await fc.assert(
        fc.asyncProperty(createRequestBodyArbitrary(target), async (body) => {
          expectAnswer(await post({ path: target.path, body: serializeJson(body) }));
        }),
        { numRuns: 60, seed: 11_2026 },
      );
    });

    it('answers bodies that are not JSON with a 400 envelope', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ maxLength: 40 }),
            fc.constantFrom('', '{', '{"model":', '[1,', '\u0000', '{"a":1}}', 'null x'),
          ),
          async (text) => {
            const response = await post({ path: target.path, body: text });
            expectAnswer(response);
          },
        ),
        { numRuns: 40, seed: 11_2026 },
      );
    });

    it('refuses metadata nested thousands of levels with 400 naming it', async () => {
      const response = await post({
        path: target.path,
        body: serializeJson({
          ...target.validBody,
          metadata: createNestedValue({ depth: 10_000, kind: 'object' }),
        }),
      });
      expect(response.status).toBe(400);
      expect(target.isErrorEnvelope(JSON.parse(response.text))).toBe(true);
      expect(response.text).toContain("'metadata'");
    });
  });
});
