import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { type FakeQwen, type FakeQwenOptions, faults } from '@qwen-relay/fake-qwen';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTestEnvironment,
  type TestEnvironment,
  waitFor,
} from './support/start-test-environment';

const MODEL = 'qwen3-coder-plus';

/** A proxy whose only account is a Coding Plan key: its host serves Anthropic natively. */
async function startWithCodingPlan(
  options: { env?: Record<string, string>; fakeOptions?: FakeQwenOptions } = {},
): Promise<TestEnvironment> {
  let env: Record<string, string> = {};
  return startTestEnvironment({
    credentials: 'none',
    ...(options.fakeOptions === undefined ? {} : { fakeOptions: options.fakeOptions }),
    env: options.env ?? {},
    prepareQwenDir: async ({ fake, qwenDir }: { fake: FakeQwen; qwenDir: string }) => {
      const path = join(qwenDir, 'accounts.json');
      const accounts = [
        {
          id: 'cp-1',
          type: 'coding-plan',
          apiKey: fake.issuePlanKey({ type: 'coding-plan' }),
          baseUrl: fake.planBaseUrl('coding-intl'),
        },
      ];
      await writeFile(path, JSON.stringify({ accounts }), { mode: 0o600 });
      env = { QWEN_RELAY_ACCOUNTS: path };
    },
    configureEnv: () => env,
  });
}

function createAnthropic(environment: TestEnvironment): Anthropic {
  return new Anthropic({ baseURL: environment.proxy.url, apiKey: 'not-needed', maxRetries: 0 });
}

describe('POST /v1/messages passed through to a native Anthropic endpoint (Coding Plan host)', () => {
  let environment: TestEnvironment | undefined;
  afterEach(async () => {
    await environment?.close();
    environment = undefined;
  });

  it('creates and streams natively: no chat call, thinking signature and tool use intact', async () => {
    environment = await startWithCodingPlan();
    const anthropic = createAnthropic(environment);
    const message = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 256,
      system: [
        {
          type: 'text',
          text: 'x-anthropic-billing-header: cc_version=2.1.84.c8e; cc_entrypoint=cli; cch=36ee5;',
        },
        { type: 'text', text: 'You are Claude Code.' },
      ],
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message).toMatchObject({ type: 'message', model: MODEL, stop_reason: 'end_turn' });
    const forwarded = environment.fake.lastRequest('/plans/coding-intl/apps/anthropic/v1/messages');
    expect(forwarded?.headers['anthropic-version']).toBe('2023-06-01');
    expect(forwarded?.body).toMatchObject({
      model: MODEL,
      max_tokens: 256,
      system: [{ text: 'You are Claude Code.' }],
    });

    const streamed = await anthropic.messages
      .stream({
        model: MODEL,
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        tools: [
          {
            name: 'Read',
            input_schema: { type: 'object', properties: { file_path: { type: 'string' } } },
          },
        ],
        messages: [{ role: 'user', content: 'Read it' }],
      })
      .finalMessage();
    expect(streamed.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    const thinking = streamed.content[0];
    expect(thinking?.type === 'thinking' && thinking.signature.length).toBeGreaterThan(0);
    expect(streamed.content[1]).toMatchObject({
      type: 'tool_use',
      name: 'Read',
      input: { file_path: 'example' },
    });
    expect(streamed.stop_reason).toBe('tool_use');
    expect(environment.fake.counters.anthropicCalls).toBe(2);
    expect(environment.fake.counters.chatCalls).toBe(0);
  });

  it('a mid-stream failure raises in the SDK: the upstream error event, or one the proxy adds to a cut stream', async () => {
    environment = await startWithCodingPlan();
    const anthropic = createAnthropic(environment);
    const ask = () =>
      anthropic.messages
        .stream({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] })
        .finalMessage();
    environment.fake.inject(faults.midStreamError(3, { endpoint: 'anthropic', stream: true }));
    await expect(ask()).rejects.toMatchObject({
      error: { type: 'error', error: { type: 'overloaded_error' } },
    });
    environment.fake.inject(faults.midStreamDrop(3, { endpoint: 'anthropic', stream: true }));
    const dropped = ask();
    await expect(dropped).rejects.toBeInstanceOf(APIError);
    await expect(dropped).rejects.toMatchObject({
      error: { type: 'error', error: { type: 'api_error' } },
    });
  });

  it('429 after retries: Anthropic rate_limit_error with Retry-After', async () => {
    environment = await startWithCodingPlan({ env: { MAX_RETRIES: '0' } });
    environment.fake.inject(
      faults.rateLimited({
        endpoint: 'anthropic',
        retryAfterInSeconds: 7,
        times: Number.POSITIVE_INFINITY,
      }),
    );
    const failure = (await createAnthropic(environment)
      .messages.create({
        model: MODEL,
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((error: unknown) => error)) as APIError;
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    expect(failure.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(Number(failure.headers?.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a client that aborts cancels the native upstream stream', async () => {
    environment = await startWithCodingPlan({
      fakeOptions: { stream: { chunkCount: 200, chunkDelayInMs: 20 } },
    });
    const stream = createAnthropic(environment).messages.stream({
      model: MODEL,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    for await (const event of stream) {
      if (event.type === 'content_block_delta') break;
    }
    await waitFor(() => environment?.fake.counters.streamsAbortedByClient === 1, {
      message: 'upstream stream cancelled',
    });
  });
});
