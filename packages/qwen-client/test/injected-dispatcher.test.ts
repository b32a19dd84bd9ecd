import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createQwenClient } from '../src/client/create-qwen-client';
import { DEFAULT_QWEN_BASE_URL } from '../src/endpoint/resolve-base-url';
import { createStubTokenSource } from './helpers/create-stub-token-source';

describe('injected dispatcher (undici MockAgent)', () => {
  let agent: MockAgent | undefined;
  afterEach(async () => {
    await agent?.close();
  });

  it('routes through the injected dispatcher to the DashScope fallback and leaves it open on close', async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    const origin = new URL(DEFAULT_QWEN_BASE_URL).origin;
    agent
      .get(origin)
      .intercept({ path: '/compatible-mode/v1/chat/completions', method: 'POST' })
      .reply(200, { id: 'from-mock' }, { headers: { 'content-type': 'application/json' } });
    agent
      .get(origin)
      .intercept({ path: '/compatible-mode/v1/embeddings', method: 'POST' })
      .reply(200, { data: [] }, { headers: { 'content-type': 'application/json' } });
    const client = createQwenClient({
      accounts: [createStubTokenSource({ authType: 'api-key' })],
      dispatcher: agent,
    });

    await expect(
      client.chatCompletion({ payload: { model: 'qwen3-coder-plus' } }),
    ).resolves.toMatchObject({
      body: { id: 'from-mock' },
    });
    await client.close();
    // a closed client refuses new calls; the injected dispatcher was not touched
    await expect(client.embeddings({ payload: {} })).rejects.toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_CONNECTION_FAILED',
      retryable: false,
    });
    expect(agent.pendingInterceptors()).toHaveLength(1);
  });
});
