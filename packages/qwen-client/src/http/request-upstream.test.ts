import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createLightAbortController } from '@qwen-relay/contracts';
import { Agent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { requestUpstream, type UpstreamAnswerPolicy } from './request-upstream';

/** The whole-answer mode: an answer that is never streamed, read as text. */
async function requestUpstreamText(
  options: Parameters<typeof requestUpstream>[0] & Pick<UpstreamAnswerPolicy, 'limitBodyInBytes'>,
) {
  const { limitBodyInBytes, ...request } = options;
  const answer = await requestUpstream(request, { streamWhen: () => false, limitBodyInBytes });
  if (answer.kind !== 'text') throw new Error('expected a whole answer');
  return answer;
}

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

describe('requestUpstream, whole answers', () => {
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

/** The stream mode: a 2xx SSE answer is handed on as it arrives. */
function openStream({
  url,
  agent,
  signal = new AbortController().signal,
  idleTimeoutInMs = 5_000,
}: {
  url: string;
  agent: Agent;
  signal?: AbortSignal;
  idleTimeoutInMs?: number;
}) {
  return requestUpstream(
    {
      dispatcher: agent,
      url,
      headers: { 'content-type': 'application/json' },
      body: '{"model":"qwen3-coder-plus","stream":true}',
      headersTimeoutInMs: 5_000,
      idleTimeoutInMs,
      signal,
      accountId: 'acct-1',
    },
    {
      streamWhen: (head) =>
        head.status === 200 && String(head.headers['content-type']).includes('event-stream'),
      limitBodyInBytes: () => 1_024,
    },
  );
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of body) text += Buffer.from(chunk).toString('utf8');
  return text;
}

const sseHead = { 'content-type': 'text/event-stream' };

describe('requestUpstream, streams', () => {
  it('hands each read on as it arrives, reports a clean end and reuses the connection', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(200, sseHead);
      response.write('data: {"a":1}\n\n');
      void released.then(() => response.end('data: [DONE]\n\n'));
    });
    const answer = await openStream(upstream);
    if (answer.kind !== 'stream') throw new Error('expected a stream');
    const iterator = answer.body[Symbol.asyncIterator]();
    // the first event arrives before the upstream has finished
    const first = await iterator.next();
    expect(Buffer.from(first.value ?? []).toString()).toBe('data: {"a":1}\n\n');
    release();
    let rest = '';
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      rest += Buffer.from(next.value).toString();
    }
    expect(rest).toBe('data: [DONE]\n\n');
    expect(await answer.ended).toEqual({ state: 'completed' });
    // undici frees the socket once its parser is done with the answer
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await openStream(upstream);
    if (again.kind !== 'stream') throw new Error('expected a stream');
    release();
    expect(await readAll(again.body)).toContain('[DONE]');
    expect(upstream.connections()).toBe(1);
  });

  it('reads an error answer of a streaming request whole, up to the limit', async () => {
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'x'.repeat(1_000_000) } }));
    });
    const answer = await openStream(upstream);
    expect(answer.kind).toBe('text');
    if (answer.kind === 'text') {
      expect(answer.status).toBe(429);
      expect(answer.bodyText.length).toBeGreaterThanOrEqual(1_024);
      expect(answer.bodyText.length).toBeLessThan(1_000_000);
    }
  });

  it('pauses the upstream while the consumer does not read, and loses nothing', async () => {
    const chunk = 'data: '.concat('x'.repeat(16 * 1024 - 8), '\n\n');
    const total = 2_000; // 32 MiB if it were all taken in
    let written = 0;
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(200, sseHead);
      const writeMore = () => {
        while (written < total) {
          written += 1;
          if (!response.write(chunk)) {
            response.once('drain', writeMore);
            return;
          }
        }
        response.end();
      };
      writeMore();
    });
    const answer = await openStream(upstream);
    if (answer.kind !== 'stream') throw new Error('expected a stream');
    // nobody reads: the writes stall once the socket buffers and our queue are full
    let previous = -1;
    while (previous !== written) {
      previous = written;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(written).toBeLessThan(total / 4);
    let bytes = 0;
    for await (const part of answer.body) bytes += part.byteLength;
    expect(bytes).toBe(total * chunk.length);
    expect(await answer.ended).toEqual({ state: 'completed' });
  });

  it('a consumer that stops early drops the connection and ends as aborted', async () => {
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(200, sseHead);
      response.write('data: {"a":1}\n\n');
    });
    const answer = await openStream(upstream);
    if (answer.kind !== 'stream') throw new Error('expected a stream');
    const closed = upstream.nextSocketClose();
    for await (const _chunk of answer.body) break;
    await closed;
    expect(await answer.ended).toMatchObject({ state: 'aborted' });
  });

  it('an abort mid-stream stops the iteration and ends as aborted', async () => {
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(200, sseHead);
      response.write('data: {"a":1}\n\n');
    });
    const controller = createLightAbortController();
    const answer = await openStream({ ...upstream, signal: controller.signal });
    if (answer.kind !== 'stream') throw new Error('expected a stream');
    const closed = upstream.nextSocketClose();
    const reading = readAll(answer.body);
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort();
    expect(await reading).toBe('data: {"a":1}\n\n');
    const end = await answer.ended;
    expect(end.state).toBe('aborted');
    expect(end.error).toMatchObject({ code: 'QWEN_RELAY_ABORTED' });
    await closed;
  });

  it('a stream that stalls past the idle limit ends as idle-timeout', async () => {
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(200, sseHead);
      response.write('data: {"a":1}\n\n');
    });
    const answer = await openStream({ ...upstream, idleTimeoutInMs: 100 });
    if (answer.kind !== 'stream') throw new Error('expected a stream');
    expect(await readAll(answer.body)).toBe('data: {"a":1}\n\n');
    expect(await answer.ended).toMatchObject({ state: 'idle-timeout' });
  });

  it('a body cut short by the upstream ends as dropped', async () => {
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(200, sseHead);
      response.write('data: {"a":1}\n\n');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const answer = await openStream(upstream);
    if (answer.kind !== 'stream') throw new Error('expected a stream');
    expect(await readAll(answer.body)).toBe('data: {"a":1}\n\n');
    expect(await answer.ended).toMatchObject({ state: 'dropped' });
  });
});
