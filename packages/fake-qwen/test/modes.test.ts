import { afterEach, describe, expect, it } from 'vitest';
import { faults } from '../src/faults/faults';
import { createPkcePair } from '../src/oauth/pkce';
import { startFakeQwen } from '../src/server/start-fake-qwen';
import type { FakeQwen } from '../src/types';
import { chatBody, pollDeviceToken, postChat, refreshToken, requestDeviceCode } from './helpers';

let fake: FakeQwen | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function postEmbeddings(
  server: FakeQwen,
  token: string | undefined,
  body: unknown,
): Promise<Response> {
  return fetch(`${server.url}/v1/embeddings`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

describe('embeddings toggle', () => {
  it('404s by default like the real portal', async () => {
    fake = await startFakeQwen();
    const { access_token } = fake.issueCredentials();
    const response = await postEmbeddings(fake, access_token, {
      model: 'text-embedding-v3',
      input: 'hi',
    });
    expect(response.status).toBe(404);
    expect(fake.counters.embeddingsCalls).toBe(1);
  });

  it('serves the OpenAI list shape when on, deterministic per input, behind the bearer check', async () => {
    fake = await startFakeQwen({ embeddings: true });
    const { access_token } = fake.issueCredentials();
    expect((await postEmbeddings(fake, undefined, { model: 'm', input: 'a' })).status).toBe(401);
    expect(fake.counters.unauthorizedSent).toBe(1);
    const response = await postEmbeddings(fake, access_token, {
      model: 'text-embedding-v3',
      input: ['a', 'b', 'a'],
      dimensions: 8,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      object: string;
      data: Array<{ object: string; embedding: number[]; index: number }>;
      model: string;
      usage: { prompt_tokens: number; total_tokens: number };
    };
    expect(Object.keys(body)).toEqual(['object', 'data', 'model', 'usage']);
    expect(body.object).toBe('list');
    expect(body.model).toBe('text-embedding-v3');
    expect(body.data.map((item) => [item.object, item.index, item.embedding.length])).toEqual([
      ['embedding', 0, 8],
      ['embedding', 1, 8],
      ['embedding', 2, 8],
    ]);
    expect(body.data[0]!.embedding).toEqual(body.data[2]!.embedding);
    expect(body.data[0]!.embedding).not.toEqual(body.data[1]!.embedding);
    expect(body.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    const single = (await (
      await postEmbeddings(fake, access_token, { model: 'm', input: 'x' })
    ).json()) as {
      data: Array<{ embedding: number[] }>;
    };
    expect(single.data[0]!.embedding).toHaveLength(1024);
    expect((await postEmbeddings(fake, access_token, { model: 'm', input: 42 })).status).toBe(400);
    fake.configure({ embeddings: false });
    expect((await postEmbeddings(fake, access_token, { model: 'm', input: 'x' })).status).toBe(404);
  });
});

describe('WAF mode', () => {
  it('answers every token request with 200 text/html until switched off', async () => {
    fake = await startFakeQwen({ wafMode: true, autoApprove: true });
    const { refresh_token } = fake.issueCredentials();
    const waf = await refreshToken(fake, refresh_token);
    expect(waf.status).toBe(200);
    expect(waf.contentType).toMatch(/^text\/html/);
    expect(waf.text).toContain('<html>');
    expect(() => JSON.parse(waf.text)).toThrow();
    const pair = createPkcePair();
    const device = await requestDeviceCode(fake, pair.codeChallenge);
    expect(
      (await pollDeviceToken(fake, device.body.device_code, pair.codeVerifier)).contentType,
    ).toMatch(/^text\/html/);
    // the challenge page did not consume the refresh token
    fake.configure({ wafMode: false });
    expect((await refreshToken(fake, refresh_token)).status).toBe(200);
  });

  it('a waf fault on a streaming chat answers 200 text/html instead of SSE', async () => {
    fake = await startFakeQwen();
    const { access_token } = fake.issueCredentials();
    fake.inject(faults.waf({ endpoint: 'chat' }));
    const response = await postChat(fake, {
      token: access_token,
      body: chatBody({ stream: true }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('shutdown mode (post-2026-04-15)', () => {
  it('401s every chat, answers device/code with 200 HTML, keeps the token endpoint working', async () => {
    fake = await startFakeQwen({ shutdownMode: true });
    const credentials = fake.issueCredentials();
    const chat = await postChat(fake, { token: credentials.access_token, body: chatBody() });
    expect(chat.status).toBe(401);
    expect(await chat.json()).toMatchObject({
      error: { code: 'invalid_api_key', message: 'invalid access token or token expired' },
    });
    const device = await requestDeviceCode(fake, createPkcePair().codeChallenge);
    expect(device.status).toBe(200);
    expect(device.contentType).toMatch(/^text\/html/);
    const refreshed = await refreshToken(fake, credentials.refresh_token);
    expect(refreshed.status).toBe(200);
    const newToken = (refreshed.body as { access_token: string }).access_token;
    expect((await postChat(fake, { token: newToken, body: chatBody() })).status).toBe(401);
    expect(fake.counters.unauthorizedSent).toBe(2);
    fake.configure({ shutdownMode: false });
    expect((await postChat(fake, { token: newToken, body: chatBody() })).status).toBe(200);
  });
});

describe('streamErrorFormat', () => {
  it("'sse' frames pre-stream errors of streaming chat calls as one data: event; JSON otherwise", async () => {
    fake = await startFakeQwen({ streamErrorFormat: 'sse' });
    const { access_token } = fake.issueCredentials();
    const readEvent = async (response: Response) => {
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const text = await response.text();
      expect(text).toMatch(/^data: \{.*\}\n\n$/);
      return JSON.parse(text.slice(6)) as { error: { code: string } };
    };
    const unauthorized = await postChat(fake, {
      token: 'qat_nope',
      body: chatBody({ stream: true }),
    });
    expect(unauthorized.status).toBe(401);
    expect((await readEvent(unauthorized)).error.code).toBe('invalid_api_key');
    const tooMany = await postChat(fake, {
      token: access_token,
      body: chatBody({ stream: true, max_tokens: 1e9 }),
    });
    expect(tooMany.status).toBe(400);
    expect((await readEvent(tooMany)).error.code).toBe('invalid_parameter_error');
    fake.inject(faults.insufficientQuota());
    const quota = await postChat(fake, { token: access_token, body: chatBody({ stream: true }) });
    expect(quota.status).toBe(429);
    expect((await readEvent(quota)).error.code).toBe('insufficient_quota');
    fake.inject(faults.streamTimeout504());
    const timeout = await postChat(fake, { token: access_token, body: chatBody({ stream: true }) });
    expect(await timeout.text()).toBe('stream timeout');
    const plain = await postChat(fake, { token: 'qat_nope', body: chatBody({ stream: false }) });
    expect(plain.headers.get('content-type')).toBe('application/json');
  });
});

describe('limits and routing', () => {
  it('413s bodies above maxRequestBodyBytes and 404s unknown routes', async () => {
    fake = await startFakeQwen({ maxRequestBodyBytes: 1024 });
    const { access_token } = fake.issueCredentials();
    const big = await postChat(fake, {
      token: access_token,
      body: chatBody({ padding: 'x'.repeat(4096) }),
    }).catch((error: unknown) => error);
    // the fake may answer 413 before the upload finished; either the client sees 413 or a reset
    if (big instanceof Response) expect(big.status).toBe(413);
    expect((await postChat(fake, { token: access_token, body: chatBody() })).status).toBe(200);
    expect((await fetch(`${fake.url}/v1/models`)).status).toBe(404);
    expect((await fetch(`${fake.url}/v1/chat/completions`)).status).toBe(404);
  });

  it('rejects invalid options', async () => {
    await expect(startFakeQwen({ stream: { chunkCount: 0 } })).rejects.toThrow(RangeError);
    fake = await startFakeQwen();
    expect(() => fake!.configure({ stream: { chunkSize: -1 }, embeddings: true })).toThrow(
      RangeError,
    );
    // nothing of a rejected configure() was applied
    const { access_token } = fake.issueCredentials();
    const response = await postChat(fake, { token: access_token, body: chatBody() });
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toHaveLength(48);
    expect((await fetch(`${fake.url}/v1/embeddings`, { method: 'POST', body: '{}' })).status).toBe(
      404,
    );
  });
});
