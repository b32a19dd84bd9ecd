import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readErrorEnvelope, sendRawRequest } from './support/send-raw-request';
import { startTestEnvironment, type TestEnvironment } from './support/start-test-environment';

const CHAT_BODY = JSON.stringify({
  model: 'coder-model',
  messages: [{ role: 'user', content: 'hi' }],
});

describe('web pages cannot use the proxy (loopback, no keys: the default setup)', () => {
  let environment: TestEnvironment;
  beforeAll(async () => {
    environment = await startTestEnvironment({
      fakeOptions: { embeddings: true },
      env: { CORS_ORIGINS: 'https://app.example' },
    });
  });
  afterAll(async () => {
    await environment.close();
  });

  it('refuses a cross-site simple POST (text/plain, foreign Origin) before any upstream call', async () => {
    const chatCallsBefore = environment.fake.counters.chatCalls;
    const response = await sendRawRequest({
      url: environment.proxy.url,
      method: 'POST',
      path: '/v1/chat/completions',
      // exactly what <form enctype="text/plain"> or fetch(..., {mode: 'no-cors'}) sends
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://attacker.example' },
      body: CHAT_BODY,
    });
    expect(response.status).toBe(403);
    expect(readErrorEnvelope(response.text)).toMatchObject({
      type: 'permission_error',
      code: 'forbidden_origin',
    });
    expect(readErrorEnvelope(response.text).message).toContain('CORS_ORIGINS');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(environment.fake.counters.chatCalls).toBe(chatCallsBefore);
  });

  it('refuses a DNS-rebinding request (Host: attacker.example) on every route', async () => {
    const chatCallsBefore = environment.fake.counters.chatCalls;
    const chat = await sendRawRequest({
      url: environment.proxy.url,
      method: 'POST',
      path: '/v1/chat/completions',
      // a rebound page is same-origin to itself: JSON content type, no foreign Origin needed
      headers: { host: 'attacker.example:8080', 'content-type': 'application/json' },
      body: CHAT_BODY,
    });
    expect(chat.status).toBe(403);
    expect(readErrorEnvelope(chat.text)).toMatchObject({
      type: 'permission_error',
      code: 'forbidden_host',
    });
    expect(readErrorEnvelope(chat.text).message).toContain('ALLOWED_HOSTS');
    for (const path of ['/v1/models', '/health', '/metrics', '/v1/nothing']) {
      const response = await sendRawRequest({
        url: environment.proxy.url,
        method: 'GET',
        path,
        headers: { host: 'attacker.example' },
      });
      expect(response.status, path).toBe(403);
      expect(readErrorEnvelope(response.text).code, path).toBe('forbidden_host');
    }
    expect(environment.fake.counters.chatCalls).toBe(chatCallsBefore);
  });

  it('answers loopback Host names, with or without port', async () => {
    const port = environment.proxy.port;
    for (const host of ['localhost', `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const response = await sendRawRequest({
        url: environment.proxy.url,
        method: 'GET',
        path: '/v1/models',
        headers: { host },
      });
      expect(response.status, host).toBe(200);
    }
  });

  it('refuses web pages on /v1/messages and count_tokens with Anthropic envelopes', async () => {
    const messagesBody = JSON.stringify({
      model: 'coder-model',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const chatCallsBefore = environment.fake.counters.chatCalls;
    for (const path of ['/v1/messages', '/v1/messages/count_tokens?beta=true']) {
      const refusals = [
        {
          headers: { 'content-type': 'application/json', origin: 'https://attacker.example' },
          status: 403,
          type: 'permission_error',
        },
        {
          headers: { 'content-type': 'application/json', host: 'attacker.example' },
          status: 403,
          type: 'permission_error',
        },
        { headers: { 'content-type': 'text/plain' }, status: 415, type: 'invalid_request_error' },
      ];
      for (const refusal of refusals) {
        const response = await sendRawRequest({
          url: environment.proxy.url,
          method: 'POST',
          path,
          headers: refusal.headers,
          body: messagesBody,
        });
        expect(response.status, path).toBe(refusal.status);
        const body = JSON.parse(response.text) as Record<string, unknown>;
        expect(Object.keys(body).sort(), path).toEqual(['error', 'type']);
        expect(body, path).toMatchObject({
          type: 'error',
          error: { type: refusal.type, message: expect.any(String) },
        });
      }
    }
    expect(environment.fake.counters.chatCalls).toBe(chatCallsBefore);
  });

  it('requires a JSON content type on POST bodies (415), accepting parameters', async () => {
    const chatCallsBefore = environment.fake.counters.chatCalls;
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const response = await sendRawRequest({
        url: environment.proxy.url,
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { 'content-type': contentType },
        body: CHAT_BODY,
      });
      expect(response.status, contentType).toBe(415);
      expect(readErrorEnvelope(response.text)).toMatchObject({
        type: 'invalid_request_error',
        code: 'unsupported_media_type',
      });
    }
    const missing = await sendRawRequest({
      url: environment.proxy.url,
      method: 'POST',
      path: '/v1/embeddings',
      body: JSON.stringify({ model: 'text-embedding-v4', input: 'x' }),
    });
    expect(missing.status).toBe(415);
    expect(readErrorEnvelope(missing.text).message).toContain('application/json');
    expect(environment.fake.counters.chatCalls).toBe(chatCallsBefore);

    const withCharset = await sendRawRequest({
      url: environment.proxy.url,
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: CHAT_BODY,
    });
    expect(withCharset.status).toBe(200);
  });

  it('serves pages of CORS_ORIGINS, and refuses other origins even their preflight', async () => {
    const allowed = await sendRawRequest({
      url: environment.proxy.url,
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', origin: 'https://app.example' },
      body: CHAT_BODY,
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');

    const preflight = await sendRawRequest({
      url: environment.proxy.url,
      method: 'OPTIONS',
      path: '/v1/chat/completions',
      headers: { origin: 'https://attacker.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps working for the official client, which sends JSON and no Origin', async () => {
    const completion = await environment.openai.chat.completions.create({
      model: 'coder-model',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices).toHaveLength(1);
  });
});

describe('behind a reverse proxy: PROXY_API_KEYS with ALLOWED_HOSTS', () => {
  let environment: TestEnvironment;
  beforeAll(async () => {
    environment = await startTestEnvironment({
      env: { PROXY_API_KEYS: 'team-key-1', ALLOWED_HOSTS: 'relay.example.com' },
    });
  });
  afterAll(async () => {
    await environment.close();
  });

  it('answers requests addressed to the configured name, with a key', async () => {
    const response = await sendRawRequest({
      url: environment.proxy.url,
      method: 'POST',
      path: '/v1/chat/completions',
      headers: {
        host: 'relay.example.com',
        'content-type': 'application/json',
        authorization: 'Bearer team-key-1',
      },
      body: CHAT_BODY,
    });
    expect(response.status).toBe(200);
  });

  it('still refuses other names and a missing key', async () => {
    const otherHost = await sendRawRequest({
      url: environment.proxy.url,
      method: 'GET',
      path: '/v1/models',
      headers: { host: 'other.example.com', authorization: 'Bearer team-key-1' },
    });
    expect(otherHost.status).toBe(403);
    const noKey = await sendRawRequest({
      url: environment.proxy.url,
      method: 'GET',
      path: '/v1/models',
      headers: { host: 'relay.example.com' },
    });
    expect(noKey.status).toBe(401);
  });
});
