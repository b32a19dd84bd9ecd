import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { faults } from '@qwen-relay/fake-qwen';
import { type ScriptedServer, startScriptedServer } from '@qwen-relay/fake-qwen/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamConnectionError, UpstreamTimeoutError } from '../src/errors/upstream-errors';
import { createFakeTokenSource } from './helpers/create-fake-token-source';
import { createStubTokenSource } from './helpers/create-stub-token-source';
import { chatPayload, createRecordingSleep, useFakeHarness } from './helpers/setup-fake';

/** TCP accepts on 127.0.0.1 but never says a word: a TLS handshake against it can never finish. */
async function startSilentTcpServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('per-phase timeouts, each its own error', () => {
  const harness = useFakeHarness();
  let silent: { close(): Promise<void> } | undefined;
  let scripted: ScriptedServer | undefined;
  afterEach(async () => {
    await silent?.close();
    await scripted?.close();
    silent = undefined;
    scripted = undefined;
  });

  it('connect: the TLS handshake never completes', async () => {
    const server = await startSilentTcpServer();
    silent = server;
    const client = harness.createClient({
      accounts: [createStubTokenSource({})],
      baseUrlOverride: server.url,
      timeouts: { connectInMs: 150 },
      retry: { maxAttempts: 1 },
    });

    const failure = await client
      .chatCompletion({ payload: chatPayload() })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UpstreamTimeoutError);
    expect(failure).toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_TIMEOUT',
      phase: 'connect',
      status: 504,
    });
  });

  it('headers: upstream accepts the request and never answers', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.hang());
    const recording = createRecordingSleep();
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      timeouts: { headersInMs: 500 },
      retry: { sleep: recording.sleep },
    });

    // a headers timeout is transient: retried, and a later attempt gets an answer
    const result = await client.chatCompletion({ payload: chatPayload() });
    expect(result.attempts[0]).toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_TIMEOUT',
      outcome: 'timeout',
    });
    expect(result.attempts.at(-1)).toMatchObject({ status: 200, outcome: 'success' });

    fake.inject(faults.hang());
    const single = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      timeouts: { headersInMs: 150 },
      retry: { maxAttempts: 1 },
    });
    await expect(single.chatCompletion({ payload: chatPayload() })).rejects.toMatchObject({
      phase: 'headers',
    });
  });

  it('idle: a stream stalls longer than the idle limit → ended idle-timeout', async () => {
    const fake = await harness.startFake({ stream: { chunkCount: 6 } });
    fake.inject(faults.stall(2, 5_000));
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      timeouts: { idleInMs: 500 },
    });

    const result = await client.chatCompletion({ payload: chatPayload({ stream: true }) });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    let received = 0;
    for await (const chunk of result.body) received += chunk.length;
    const end = await result.ended;

    expect(received).toBeGreaterThan(0);
    expect(end.state).toBe('idle-timeout');
    expect(end.error).toBeInstanceOf(UpstreamTimeoutError);
    expect(end.error).toMatchObject({ phase: 'idle' });
  });

  it('idle: a JSON body that stops halfway fails with phase idle', async () => {
    scripted = await startScriptedServer(({ response }) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id":"chatcmpl-');
    });
    const client = harness.createClient({
      accounts: [createStubTokenSource({ resourceUrl: scripted.url })],
      timeouts: { idleInMs: 150 },
      retry: { maxAttempts: 1 },
    });
    await expect(client.chatCompletion({ payload: chatPayload() })).rejects.toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_TIMEOUT',
      phase: 'idle',
    });
  });

  it('total: the whole call exceeds its deadline and is not retried', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.hang({ times: 5 }));
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      timeouts: { totalInMs: 250 },
    });

    const failure = await client
      .chatCompletion({ payload: chatPayload() })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UpstreamTimeoutError);
    expect(failure).toMatchObject({ phase: 'total', retryable: false });
    expect(fake.counters.chatCalls).toBe(1);
    await expect.poll(() => fake.counters.requestsAbortedByClient).toBe(1);
  });

  it('total: a stream running past the deadline ends as total-timeout', async () => {
    const fake = await harness.startFake({ stream: { chunkCount: 50, chunkDelayInMs: 50 } });
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      timeouts: { totalInMs: 400 },
    });
    const result = await client.chatCompletion({ payload: chatPayload({ stream: true }) });
    if (result.kind !== 'stream') throw new Error('expected a stream');
    for await (const _chunk of result.body) {
      // drain
    }
    await expect(result.ended).resolves.toMatchObject({ state: 'total-timeout' });
    await expect.poll(() => fake.counters.streamsAbortedByClient).toBe(1);
  });

  it('a connection reset before the answer is retried as a connection failure', async () => {
    scripted = await startScriptedServer(({ index, request, response }) => {
      if (index === 1) {
        response.socket?.destroy();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ echo: request.path }));
    });
    const client = harness.createClient({
      accounts: [createStubTokenSource({ resourceUrl: scripted.url })],
      retry: { sleep: createRecordingSleep().sleep },
    });
    const result = await client.chatCompletion({ payload: chatPayload() });
    expect(result.attempts.map((attempt) => [attempt.code, attempt.outcome])).toEqual([
      ['QWEN_RELAY_UPSTREAM_CONNECTION_FAILED', 'connection'],
      [undefined, 'success'],
    ]);
  });

  it('a refused connection surfaces as a connection failure after the retries', async () => {
    const closed = await startScriptedServer(() => {});
    const deadUrl = closed.url;
    await closed.close();
    const client = harness.createClient({
      accounts: [createStubTokenSource({ resourceUrl: deadUrl })],
      retry: { maxAttempts: 2, sleep: createRecordingSleep().sleep },
    });
    const failure = await client
      .chatCompletion({ payload: chatPayload() })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamConnectionError);
    expect(failure).toMatchObject({ socketCode: 'ECONNREFUSED', status: 502 });
  });
});
