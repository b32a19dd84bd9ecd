import { request as httpRequest } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, sumSamples } from './support/parse-prometheus-text';
import { type RawResponse, sendRawRequest as send } from './support/send-raw-request';
import { startTestEnvironment, type TestEnvironment } from './support/start-test-environment';

function expectEnvelope(text: string): {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
} {
  const parsed = JSON.parse(text) as {
    error: { message: string; type: string; param: string | null; code: string | null };
  };
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(typeof parsed.error.message).toBe('string');
  expect(typeof parsed.error.type).toBe('string');
  return parsed.error;
}

const CHAT_BODY = JSON.stringify({
  model: 'coder-model',
  messages: [{ role: 'user', content: 'hi' }],
});

describe('HTTP surface with the official openai client', () => {
  let environment: TestEnvironment;
  beforeAll(async () => {
    environment = await startTestEnvironment({ fakeOptions: { embeddings: true } });
  });
  afterAll(async () => {
    await environment.close();
  });

  it('answers a non-streaming chat completion', async () => {
    const completion = await environment.openai.chat.completions.create({
      model: 'coder-model',
      messages: [{ role: 'user', content: 'Say hello' }],
      temperature: 0,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('coder-model');
    expect(completion.choices[0]?.message.content).toEqual(expect.any(String));
    expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    // temperature 0 reaches upstream as 0, not replaced by a default
    const upstreamBody = environment.fake.lastRequest('/v1/chat/completions')?.body as Record<
      string,
      unknown
    >;
    expect(upstreamBody.temperature).toBe(0);
    expect(upstreamBody.stream).toBe(false);
  });

  it('streams a chat completion that ends with usage', async () => {
    const stream = await environment.openai.chat.completions.create({
      model: 'coder-model',
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usageSeen = false;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usageSeen = true;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usageSeen).toBe(true);
  });

  it('serves the SSE headers that keep proxies from buffering', async () => {
    const response = await send({
      url: environment.proxy.url,
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'coder-model',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['x-accel-buffering']).toBe('no');
    expect(response.text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('lists and retrieves models', async () => {
    const models = await environment.openai.models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toContain('coder-model');
    const model = await environment.openai.models.retrieve('coder-model');
    expect(model).toMatchObject({ id: 'coder-model', object: 'model' });
    // the documented OpenAI answer for an unknown model: 404 `model_not_found`, param `model`
    await expect(environment.openai.models.retrieve('no-such-model')).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
      param: 'model',
      type: 'invalid_request_error',
    });
  });

  it('creates embeddings', async () => {
    const result = await environment.openai.embeddings.create({
      model: 'text-embedding-v4',
      input: ['a', 'b'],
    });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding.length).toBeGreaterThan(0);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await send({
      url: environment.proxy.url,
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json' },
      body: '{"model": "coder-model", "messages": [',
    });
    expect(response.status).toBe(400);
    expect(expectEnvelope(response.text)).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_json',
    });
  });

  it('answers a missing field with 400 naming it', async () => {
    await expect(
      environment.openai.chat.completions.create({
        model: 'coder-model',
      } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming),
    ).rejects.toMatchObject({ status: 400, param: 'messages', type: 'invalid_request_error' });
    const response = await send({
      url: environment.proxy.url,
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(400);
    expect(expectEnvelope(response.text).param).toBe('model');
  });

  it('answers unknown routes with 404 and wrong methods with 405 + Allow, as envelopes', async () => {
    const notFound = await send({ url: environment.proxy.url, method: 'GET', path: '/v1/nothing' });
    expect(notFound.status).toBe(404);
    expect(expectEnvelope(notFound.text).code).toBe('not_found');

    const wrongMethod = await send({
      url: environment.proxy.url,
      method: 'GET',
      path: '/v1/chat/completions',
    });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
    expect(expectEnvelope(wrongMethod.text).code).toBe('method_not_allowed');
  });

  it('reports health without any token', async () => {
    const response = await send({ url: environment.proxy.url, method: 'GET', path: '/health' });
    expect(response.status).toBe(200);
    const health = JSON.parse(response.text) as {
      status: string;
      accounts: Array<Record<string, unknown>>;
    };
    expect(health.status).toBe('ok');
    expect(health.accounts).toEqual([
      expect.objectContaining({
        accountId: 'default',
        authType: 'qwen-oauth',
        state: 'ok',
        secondsToExpiry: expect.any(Number),
      }),
    ]);
    for (const token of environment.fake.tokensSeen) expect(response.text).not.toContain(token);
  });

  it('exposes Prometheus metrics that parse line by line', async () => {
    const response = await send({ url: environment.proxy.url, method: 'GET', path: '/metrics' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const { samples, types } = parsePrometheusText(response.text);
    expect(types.get('qwen_relay_http_requests_total')).toBe('counter');
    expect(
      sumSamples(samples, 'qwen_relay_http_requests_total', {
        route: 'chat-completions',
        status: '200',
      }),
    ).toBeGreaterThan(0);
    expect(
      sumSamples(samples, 'qwen_relay_http_requests_total', { status: '404' }),
    ).toBeGreaterThan(0);
    expect(
      sumSamples(samples, 'qwen_relay_upstream_attempts_total', { account: 'default' }),
    ).toBeGreaterThan(0);
    expect(
      sumSamples(samples, 'qwen_relay_streams_total', { end_state: 'completed' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      samples.find((sample) => sample.name === 'qwen_relay_token_seconds_to_expiry')?.value,
    ).toBeGreaterThan(0);
    expect(sumSamples(samples, 'qwen_relay_accounts_needing_reauth')).toBe(0);
    for (const name of [
      'qwen_relay_streams_in_flight',
      'qwen_relay_event_loop_delay_seconds',
      'qwen_relay_sse_worker_queue_size',
      'qwen_relay_upstream_retries_total',
      'qwen_relay_token_refreshes_total',
    ]) {
      expect(types.has(name), name).toBe(true);
    }
  });
});

describe('request limits and access control', () => {
  let environment: TestEnvironment;
  beforeAll(async () => {
    environment = await startTestEnvironment({
      env: {
        PROXY_API_KEYS: 'proxy-key-one,proxy-key-two',
        BODY_LIMIT_BYTES: '1024',
        CORS_ORIGINS: 'https://app.example',
      },
    });
  });
  afterAll(async () => {
    await environment.close();
  });

  it('requires a proxy key, as Bearer or x-api-key', async () => {
    const stranger = new OpenAI({
      baseURL: `${environment.proxy.url}/v1`,
      apiKey: 'wrong-key',
      maxRetries: 0,
    });
    await expect(
      stranger.chat.completions.create({
        model: 'coder-model',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 401, code: 'invalid_api_key', type: 'authentication_error' });
    const missing = await send({
      url: environment.proxy.url,
      method: 'POST',
      path: '/v1/chat/completions',
      body: CHAT_BODY,
    });
    expect(missing.status).toBe(401);
    // the hint reads as written: nothing in it looks like a secret to the redactor
    const hint = expectEnvelope(missing.text).message;
    expect(hint).toContain('x-api-key');
    expect(hint).not.toContain('REDACTED');

    const completion = await environment.openai.chat.completions.create({
      model: 'coder-model',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(completion.choices).toHaveLength(1);
    const viaHeader = await send({
      url: environment.proxy.url,
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'x-api-key': 'proxy-key-two', 'content-type': 'application/json' },
      body: CHAT_BODY,
    });
    expect(viaHeader.status).toBe(200);
    // health stays open for probes
    expect(
      (await send({ url: environment.proxy.url, method: 'GET', path: '/health' })).status,
    ).toBe(200);
    // the key never reaches the logs
    expect(environment.logLines.join('\n')).not.toContain('proxy-key-one');
  });

  it('refuses a body over the limit with 413, from Content-Length or while streaming in', async () => {
    const chatCallsBefore = environment.fake.counters.chatCalls;
    const big = JSON.stringify({
      model: 'coder-model',
      messages: [{ role: 'user', content: 'x'.repeat(5000) }],
    });
    await expect(
      environment.openai.chat.completions.create({
        model: 'coder-model',
        messages: [{ role: 'user', content: 'x'.repeat(5000) }],
      }),
    ).rejects.toMatchObject({ status: 413 });
    const chunked = await new Promise<RawResponse>((resolve, reject) => {
      const call = httpRequest(
        `${environment.proxy.url}/v1/chat/completions`,
        {
          method: 'POST',
          headers: {
            authorization: 'Bearer proxy-key-one',
            'content-type': 'application/json',
            'transfer-encoding': 'chunked',
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              text: Buffer.concat(chunks).toString(),
            }),
          );
        },
      );
      call.on('error', reject);
      call.write(big.slice(0, 2000));
      call.end(big.slice(2000));
    });
    expect(chunked.status).toBe(413);
    expect(expectEnvelope(chunked.text).code).toBe('request_too_large');
    expect(environment.fake.counters.chatCalls).toBe(chatCallsBefore);
  });

  it('answers CORS preflights only for allowed origins', async () => {
    const allowed = await send({
      url: environment.proxy.url,
      method: 'OPTIONS',
      path: '/v1/chat/completions',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('Authorization');

    const other = await send({
      url: environment.proxy.url,
      method: 'GET',
      path: '/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
