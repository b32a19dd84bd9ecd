import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createLightAbortController } from '@qwen-relay/contracts';
import { Agent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { requestUpstreamText } from './request-upstream-text';

type Respond = (request: IncomingMessage, response: ServerResponse) => void;

const opened: Array<{ server: Server; agent: Agent; sockets: Set<Socket> }> = [];

afterEach(async () => {
  for (const { server, agent, sockets } of opened.splice(0)) {
    await agent.destroy();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function startUpstream(respond: Respond) {
  const sockets = new Set<Socket>();
  let connections = 0;
  let closings: Array<() => void> = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => respond(request, response));
  });
  server.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      for (const notify of closings.splice(0)) notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new Agent({ connections: 4 });
  opened.push({ server, agent, sockets });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
  const nextSocketClose = () =>
    new Promise<void>((resolve) => {
      closings = [...closings, resolve];
    });
  return { url, agent, connections: () => connections, nextSocketClose };
}

function send({
  url,
  agent,
  signal = new AbortController().signal,
  limitBodyInBytes = () => undefined,
  headersTimeoutInMs = 5_000,
  idleTimeoutInMs = 5_000,
}: {
  url: string;
  agent: Agent;
  signal?: AbortSignal;
  limitBodyInBytes?: Parameters<typeof requestUpstreamText>[0]['limitBodyInBytes'];
  headersTimeoutInMs?: number;
  idleTimeoutInMs?: number;
}) {
  return requestUpstreamText({
    dispatcher: agent,
    url,
    headers: { 'content-type': 'application/json' },
    body: '{"model":"qwen3-coder-plus"}',
    headersTimeoutInMs,
    idleTimeoutInMs,
    signal,
    accountId: 'acct-1',
    limitBodyInBytes,
  });
}

describe('requestUpstreamText', () => {
  it('reads a body sent in pieces, a UTF-8 character split across them included', async () => {
    const bytes = Buffer.from('{"text":"héllo ✓"}', 'utf8');
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'x-one': ['a', 'b'] });
      response.write(bytes.subarray(0, 11));
      setImmediate(() => {
        response.write(bytes.subarray(11, 17));
        setImmediate(() => response.end(bytes.subarray(17)));
      });
    });
    const answer = await send(upstream);
    expect(answer.status).toBe(200);
    expect(answer.bodyText).toBe('{"text":"héllo ✓"}');
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['x-one']).toEqual(['a', 'b']);
  });

  it('decides the limit from the head, cuts the text there and drops the connection', async () => {
    const seen: Array<{ status: number; contentType: unknown }> = [];
    const upstream = await startUpstream((request, response) => {
      if (request.headers['x-small'] !== undefined) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
        return;
      }
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.write('a'.repeat(4));
      setImmediate(() => response.write('b'.repeat(4)));
      setTimeout(() => response.end('c'.repeat(4)), 50);
    });
    const closed = upstream.nextSocketClose();
    const answer = await send({
      ...upstream,
      limitBodyInBytes: (head) => {
        seen.push({ status: head.status, contentType: head.headers['content-type'] });
        return head.status === 200 ? undefined : 6;
      },
    });
    expect(answer.status).toBe(500);
    expect(answer.bodyText).toBe('aaaabbbb');
    expect(seen).toEqual([{ status: 500, contentType: 'text/plain' }]);
    // the rest of the body is not waited for: the connection is dropped (never reused)
    await closed;
    const next = await requestUpstreamText({
      dispatcher: upstream.agent,
      url: upstream.url,
      headers: { 'x-small': '1' },
      body: '{}',
      headersTimeoutInMs: 5_000,
      idleTimeoutInMs: 5_000,
      signal: new AbortController().signal,
      accountId: 'acct-1',
      limitBodyInBytes: () => undefined,
    });
    expect(next.bodyText).toBe('{}');
  });

  it('reuses the connection after a whole answer', async () => {
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
    // (undici opens a second socket at its start, with either API: counted after warming up)
    for (let index = 0; index < 3; index += 1) await send(upstream);
    const warm = upstream.connections();
    for (let index = 0; index < 5; index += 1) {
      expect((await send(upstream)).bodyText).toBe('{"ok":true}');
    }
    expect(upstream.connections()).toBe(warm);
  });

  it('reports a headers timeout and an idle timeout by phase', async () => {
    const silent = await startUpstream(() => undefined);
    await expect(send({ ...silent, headersTimeoutInMs: 50 })).rejects.toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_TIMEOUT',
      phase: 'headers',
      accountId: 'acct-1',
    });
    const stalling = await startUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"a":');
    });
    await expect(send({ ...stalling, idleTimeoutInMs: 50 })).rejects.toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_TIMEOUT',
      phase: 'idle',
    });
  });

  it('reports a body cut short by the upstream as a connection failure', async () => {
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"a":');
      setImmediate(() => response.socket?.destroy());
    });
    await expect(send(upstream)).rejects.toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_CONNECTION_FAILED',
      retryable: true,
    });
  });

  it('reports a refused connection as a retryable connection failure', async () => {
    const upstream = await startUpstream(() => undefined);
    const { url } = upstream;
    const closed = opened.pop();
    await new Promise((resolve) => closed?.server.close(resolve));
    await expect(send({ url, agent: upstream.agent })).rejects.toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_CONNECTION_FAILED',
      socketCode: 'ECONNREFUSED',
    });
    await upstream.agent.destroy();
  });

  it('fails, never hangs, when a dispatcher ends an answer without its head', async () => {
    const broken = {
      dispatch(_options: unknown, handler: Dispatcher.DispatchHandler) {
        const controller = {
          abort: () => undefined,
          pause: () => undefined,
          resume: () => undefined,
          aborted: false,
          paused: false,
          reason: null,
        };
        setImmediate(() => {
          handler.onRequestStart?.(controller, {});
          handler.onResponseEnd?.(controller, {});
        });
        return true;
      },
    } as unknown as Dispatcher;
    await expect(
      requestUpstreamText({
        dispatcher: broken,
        url: 'http://127.0.0.1:9/v1/chat/completions',
        headers: {},
        body: '{}',
        headersTimeoutInMs: 1_000,
        idleTimeoutInMs: 1_000,
        signal: new AbortController().signal,
        accountId: 'acct-1',
        limitBodyInBytes: () => undefined,
      }),
    ).rejects.toMatchObject({ code: 'QWEN_RELAY_UPSTREAM_CONNECTION_FAILED' });
  });

  it('answers an abort at once, with the reason when it is ours, and drops the request', async () => {
    let requests = 0;
    const upstream = await startUpstream(() => {
      requests += 1;
    });
    const controller = createLightAbortController();
    const pending = send({ ...upstream, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'QWEN_RELAY_ABORTED' });
    expect(requests).toBe(1);
    const already = new AbortController();
    already.abort();
    await expect(send({ ...upstream, signal: already.signal })).rejects.toMatchObject({
      code: 'QWEN_RELAY_ABORTED',
    });
    expect(requests).toBe(1);
  });
});
