import type { QwenClientEvent } from '@qwen-relay/contracts';
import { type ScriptedServer, startScriptedServer } from '@qwen-relay/fake-qwen/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createQwenClient } from '../src/client/create-qwen-client';
import type { QwenClient } from '../src/client/types';
import { UpstreamAuthError } from '../src/errors/upstream-errors';
import { createStubTokenSource } from './helpers/create-stub-token-source';
import { sendJson } from './helpers/send-json';

let server: ScriptedServer | undefined;
let client: QwenClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

const completion = { id: 'chatcmpl-1', object: 'chat.completion', choices: [] };

describe('qwen client over loopback (scripted server)', () => {
  it('sends the expected headers to <resource_url>/v1/chat/completions', async () => {
    server = await startScriptedServer(({ response }) => sendJson(response, 200, completion));
    const tokens = createStubTokenSource({ resourceUrl: server.url });
    client = createQwenClient({ accounts: [tokens] });
    const result = await client.chatCompletion({
      payload: { model: 'coder-model', messages: [], stream: false },
      requestId: 'req-1',
    });
    expect(result).toMatchObject({
      kind: 'json',
      status: 200,
      body: completion,
      accountId: 'default',
    });
    const seen = server.requests[0];
    expect(seen?.path).toBe('/v1/chat/completions');
    expect(seen?.headers).toMatchObject({
      authorization: 'Bearer qat_default-1',
      'content-type': 'application/json',
      accept: 'application/json',
      'x-dashscope-authtype': 'qwen-oauth',
      'x-dashscope-cachecontrol': 'enable',
      'x-request-id': 'req-1',
    });
    expect(seen?.headers['user-agent']).toMatch(/^qwen-relay\/\d+\.\d+\.\d+ \(node v\d+/);
    expect(JSON.parse(seen?.body ?? '')).toEqual({
      model: 'coder-model',
      messages: [],
      stream: false,
    });
  });

  it('omits the OAuth marker for API keys and asks for SSE on streams', async () => {
    server = await startScriptedServer(({ response }) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end('data: [DONE]\n\n');
    });
    const tokens = createStubTokenSource({ resourceUrl: server.url, authType: 'api-key' });
    client = createQwenClient({ accounts: [tokens] });
    const result = await client.chatCompletion({ payload: { stream: true } });
    expect(result.kind).toBe('stream');
    if (result.kind !== 'stream') return;
    const chunks: Uint8Array[] = [];
    for await (const chunk of result.body) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('data: [DONE]\n\n');
    expect(await result.ended).toEqual({ state: 'completed' });
    expect(server.requests[0]?.headers['x-dashscope-authtype']).toBeUndefined();
    expect(server.requests[0]?.headers.accept).toBe('text/event-stream');
  });

  it('refreshes once on 401 and succeeds, reporting the log events', async () => {
    server = await startScriptedServer(({ index, response }) =>
      index === 1
        ? sendJson(response, 401, {
            error: { code: 'invalid_api_key', message: 'invalid access token or token expired' },
          })
        : sendJson(response, 200, completion),
    );
    const tokens = createStubTokenSource({ resourceUrl: server.url });
    const events: QwenClientEvent[] = [];
    client = createQwenClient({ accounts: [tokens], onEvent: (event) => events.push(event) });
    const result = await client.chatCompletion({ payload: { stream: false } });
    expect(result.kind).toBe('json');
    expect(tokens.refreshes).toBe(1);
    expect(server.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer qat_default-1',
      'Bearer qat_default-2',
    ]);
    expect(events.map((event) => event.type)).toEqual([
      'attempt',
      'retry',
      'auth-error-detected',
      'auth-retry',
      'attempt',
      'auth-retry-succeeded',
    ]);
    expect(result.attempts.map((attempt) => [attempt.status, attempt.outcome])).toEqual([
      [401, 'auth'],
      [200, 'success'],
    ]);
    expect(JSON.stringify(events)).not.toContain('qat_');
  });

  it('gives up after a second 401 with exactly one refresh', async () => {
    server = await startScriptedServer(({ response }) =>
      sendJson(response, 401, {
        error: { code: 'invalid_api_key', message: 'invalid access token or token expired' },
      }),
    );
    const tokens = createStubTokenSource({ resourceUrl: server.url });
    client = createQwenClient({ accounts: [tokens] });
    const failure = await client.chatCompletion({ payload: {} }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamAuthError);
    expect(failure).toMatchObject({ code: 'QWEN_RELAY_UPSTREAM_AUTH_FAILED', status: 401 });
    expect((failure as UpstreamAuthError).attempts.map((attempt) => attempt.outcome)).toEqual([
      'auth',
      'final',
    ]);
    expect(tokens.refreshes).toBe(1);
    expect(server.requests).toHaveLength(2);
  });
});
