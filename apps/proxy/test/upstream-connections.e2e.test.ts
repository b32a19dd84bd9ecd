import { afterEach, describe, expect, it } from 'vitest';
import {
  startTestEnvironment,
  type TestEnvironment,
  waitFor,
} from './support/start-test-environment';

const STREAM_COUNT = 200;
// undici's old per-origin default: every stream beyond it used to queue for a socket
const FORMER_CONNECTION_CAP = 128;

describe('upstream connections (UPSTREAM_CONNECTIONS)', () => {
  let environment: TestEnvironment | undefined;

  afterEach(async () => {
    await environment?.close();
    environment = undefined;
  });

  it(`keeps ${STREAM_COUNT} paced streams open upstream at once with the default limit`, async () => {
    // 8 chunks × 2 s: every stream holds its upstream socket for ~16 s, long enough for more
    // than 128 of them to overlap even on a loaded 2-core machine (4 s was not, at load 20+)
    environment = await startTestEnvironment({
      fakeOptions: { stream: { chunkCount: 8, chunkDelayInMs: 2_000 } },
      env: { LOG_LEVEL: 'warn' },
    });
    const { fake, proxy } = environment;
    const bodies = Array.from({ length: STREAM_COUNT }, async () => {
      const response = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'coder-model',
          stream: true,
          messages: [{ role: 'user', content: 'hello' }],
        }),
      });
      return { status: response.status, text: await response.text() };
    });

    await waitFor(() => fake.counters.maxConcurrentRequests > FORMER_CONNECTION_CAP, {
      timeoutInMs: 40_000,
      message: `more than ${FORMER_CONNECTION_CAP} concurrent upstream requests`,
    });
    const results = await Promise.all(bodies);
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(results.every((result) => result.text.trimEnd().endsWith('data: [DONE]'))).toBe(true);
    expect(fake.counters.chatCalls).toBe(STREAM_COUNT);
  }, 90_000);

  it('passes a lower limit through to the upstream agent', async () => {
    environment = await startTestEnvironment({
      fakeOptions: { stream: { chunkCount: 4, chunkDelayInMs: 100 } },
      env: { LOG_LEVEL: 'warn', UPSTREAM_CONNECTIONS: '4' },
    });
    const { fake, proxy } = environment;
    const results = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const response = await fetch(`${proxy.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'coder-model',
            stream: true,
            messages: [{ role: 'user', content: 'hello' }],
          }),
        });
        return response.text();
      }),
    );
    expect(results.every((text) => text.trimEnd().endsWith('data: [DONE]'))).toBe(true);
    expect(fake.counters.maxConcurrentRequests).toBe(4);
  });
});
