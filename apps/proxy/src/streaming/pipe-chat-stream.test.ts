import {
  createServer,
  get,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamEnd } from '@qwen-relay/qwen-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatStreamOutcome, pipeChatStream } from './pipe-chat-stream';
import type { SseStreamTransformer } from './sse-transform-runner';

const CHUNK_SIZE = 64 * 1024;

/** A transformer that forwards bytes unchanged and reports the given end state. */
function createPassThroughTransformer(endState: 'done' | 'incomplete'): SseStreamTransformer {
  return {
    transform: async (chunk) => chunk,
    end: async () => ({
      bytes: new Uint8Array(0),
      summary: { endState, sawDone: endState === 'done', chunkCount: 0 },
    }),
  };
}

/** GETs `url` and reads the whole body as text. */
function readText(url: string): Promise<string> {
  return new Promise<string>((resolve) =>
    get(url, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve(body));
    }),
  );
}

describe('pipeChatStream', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function serve(
    handler: (response: ServerResponse, request: IncomingMessage) => Promise<ChatStreamOutcome>,
  ): Promise<{ url: string; outcome: Promise<ChatStreamOutcome> }> {
    let resolveOutcome: (outcome: ChatStreamOutcome) => void = () => {};
    const outcome = new Promise<ChatStreamOutcome>((resolve) => {
      resolveOutcome = resolve;
    });
    server = createServer((request, response) => {
      handler(response, request).then(resolveOutcome);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, outcome };
  }

  it('stops pulling upstream while the client does not read (backpressure)', async () => {
    const totalChunks = 2_000; // 128 MiB if it were all buffered
    let pulls = 0;
    let resolveEnded: (end: StreamEnd) => void = () => {};
    const ended = new Promise<StreamEnd>((resolve) => {
      resolveEnded = resolve;
    });
    async function* upstream() {
      for (let index = 0; index < totalChunks; index += 1) {
        pulls += 1;
        yield new Uint8Array(CHUNK_SIZE).fill(97);
      }
      resolveEnded({ state: 'completed' });
    }
    const { url, outcome } = await serve((response) =>
      pipeChatStream({
        body: upstream(),
        ended,
        transformer: createPassThroughTransformer('done'),
        response,
        isClientGone: () => false,
      }),
    );

    const clientResponse = await new Promise<IncomingMessage>((resolve) => get(url, resolve));
    clientResponse.pause();
    // wait until the producer stalls: the pull count stops moving while nobody reads
    let previous = -1;
    while (previous !== pulls) {
      previous = pulls;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(pulls).toBeLessThan(totalChunks / 4);

    let receivedBytes = 0;
    clientResponse.on('data', (chunk: Buffer) => {
      receivedBytes += chunk.length;
    });
    clientResponse.resume();
    await new Promise((resolve) => clientResponse.on('end', resolve));
    expect(pulls).toBe(totalChunks);
    expect(receivedBytes).toBe(totalChunks * CHUNK_SIZE);
    expect((await outcome).endState).toBe('completed');
  });

  it('sends the SSE headers at once while the first upstream event is still due', async () => {
    let releaseFirstEvent: () => void = () => {};
    const firstEventDue = new Promise<void>((resolve) => {
      releaseFirstEvent = resolve;
    });
    let resolveEnded: (end: StreamEnd) => void = () => {};
    const ended = new Promise<StreamEnd>((resolve) => {
      resolveEnded = resolve;
    });
    async function* upstream() {
      await firstEventDue;
      yield new TextEncoder().encode('data: {"a":1}\n\ndata: [DONE]\n\n');
      resolveEnded({ state: 'completed' });
    }
    const { url, outcome } = await serve((response) =>
      pipeChatStream({
        body: upstream(),
        ended,
        transformer: createPassThroughTransformer('done'),
        response,
        isClientGone: () => false,
      }),
    );
    const response = await new Promise<IncomingMessage>((resolve) => get(url, resolve));
    // the headers came although the upstream has not sent a byte yet
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    releaseFirstEvent();
    let text = '';
    for await (const part of response) text += String(part);
    expect(text).toBe('data: {"a":1}\n\ndata: [DONE]\n\n');
    expect((await outcome).endState).toBe('completed');
  });

  it('sends headers and events whole when the first event is already there', async () => {
    let resolveEnded: (end: StreamEnd) => void = () => {};
    const ended = new Promise<StreamEnd>((resolve) => {
      resolveEnded = resolve;
    });
    async function* upstream() {
      yield new TextEncoder().encode('data: {"a":1}\n\n');
      yield new TextEncoder().encode('data: [DONE]\n\n');
      resolveEnded({ state: 'completed' });
    }
    const { url, outcome } = await serve((response) =>
      pipeChatStream({
        body: upstream(),
        ended,
        transformer: createPassThroughTransformer('done'),
        response,
        isClientGone: () => false,
        headers: { 'X-Extra': 'kept' },
      }),
    );
    const response = await new Promise<IncomingMessage>((resolve) => get(url, resolve));
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-extra']).toBe('kept');
    expect(response.headers['cache-control']).toBe('no-cache');
    let text = '';
    for await (const part of response) text += String(part);
    expect(text).toBe('data: {"a":1}\n\ndata: [DONE]\n\n');
    expect((await outcome).endState).toBe('completed');
  });

  it('ends a stream that failed midway with an error event and no [DONE]', async () => {
    async function* upstream() {
      yield new TextEncoder().encode('data: {"partial":true}\n\n');
      throw Object.assign(new Error('socket hang up'), {
        code: 'QWEN_RELAY_UPSTREAM_CONNECTION_FAILED',
      });
    }
    const { url, outcome } = await serve((response) =>
      pipeChatStream({
        body: upstream(),
        ended: Promise.resolve({ state: 'dropped' }),
        transformer: createPassThroughTransformer('incomplete'),
        response,
        isClientGone: () => false,
      }),
    );
    const text = await readText(url);
    expect(text.startsWith('data: {"partial":true}\n\n')).toBe(true);
    const lastEvent = text.trim().split('\n\n').at(-1) ?? '';
    expect(JSON.parse(lastEvent.replace(/^data: /, ''))).toMatchObject({
      error: { type: 'upstream_error', code: 'upstream_connection_failed' },
    });
    expect(text).not.toContain('[DONE]');
    expect((await outcome).endState).toBe('truncated');
  });

  it('sends the last events and the end in one write when the upstream ends in the same turn', async () => {
    const writes: string[] = [];
    async function* upstream() {
      yield new TextEncoder().encode('data: {"a":1}\n\n');
      yield new TextEncoder().encode('data: [DONE]\n\n');
    }
    const { url, outcome } = await serve((response) => {
      // what reaches the socket: every write and the end's last bytes, in order
      const write = response.write.bind(response);
      const end = response.end.bind(response);
      response.write = ((chunk: Uint8Array, ...rest: []) => {
        writes.push(`write ${Buffer.from(chunk).toString()}`);
        return write(chunk, ...rest);
      }) as typeof response.write;
      response.end = ((chunk?: Uint8Array) => {
        writes.push(`end ${chunk === undefined ? '' : Buffer.from(chunk).toString()}`);
        return chunk === undefined ? end() : end(chunk);
      }) as typeof response.end;
      return pipeChatStream({
        body: upstream(),
        ended: Promise.resolve({ state: 'completed' }),
        transformer: createPassThroughTransformer('done'),
        response,
        isClientGone: () => false,
      });
    });
    const text = await readText(url);
    expect(text).toBe('data: {"a":1}\n\ndata: [DONE]\n\n');
    expect(writes).toEqual(['end data: {"a":1}\n\ndata: [DONE]\n\n']);
    expect((await outcome).endState).toBe('completed');
  });

  it('writes text output as UTF-8, joined with bytes in the same write, split characters intact', async () => {
    const events = [
      'data: {"c":"héllo 🦊"}\n\n',
      'data: {"c":"中文"}\n\n',
      `data: {"c":"${'ü'.repeat(20_000)}"}\n\n`,
      'data: {"c":"end"}\n\n',
    ];
    async function* upstream() {
      for (let index = 0; index < events.length; index++) yield new Uint8Array([index]);
    }
    // a transform that builds text (as the inline runner's do); the end comes as bytes
    const transformer: SseStreamTransformer = {
      transform: (chunk) => events[chunk[0] ?? 0] ?? '',
      end: async () => ({
        bytes: new TextEncoder().encode('data: [DONE]\n\n'),
        summary: { endState: 'done', sawDone: true, chunkCount: events.length },
      }),
    };
    const { url, outcome } = await serve((response) =>
      pipeChatStream({
        body: upstream(),
        ended: Promise.resolve({ state: 'completed' }),
        transformer,
        response,
        isClientGone: () => false,
      }),
    );
    const response = await new Promise<IncomingMessage>((resolve) => get(url, resolve));
    const received: Buffer[] = [];
    for await (const part of response) received.push(part as Buffer);
    expect(Buffer.concat(received).equals(Buffer.from(`${events.join('')}data: [DONE]\n\n`))).toBe(
      true,
    );
    expect((await outcome).endState).toBe('completed');
  });

  it('writes the events of a read in its own turn while the next read is still due', async () => {
    let releaseSecondRead: () => void = () => {};
    const secondReadDue = new Promise<void>((resolve) => {
      releaseSecondRead = resolve;
    });
    async function* upstream() {
      yield new TextEncoder().encode('data: {"a":1}\n\n');
      await secondReadDue;
      yield new TextEncoder().encode('data: [DONE]\n\n');
    }
    const { url, outcome } = await serve((response) =>
      pipeChatStream({
        body: upstream(),
        ended: secondReadDue.then(() => ({ state: 'completed' as const })),
        transformer: createPassThroughTransformer('done'),
        response,
        isClientGone: () => false,
      }),
    );
    const response = await new Promise<IncomingMessage>((resolve) => get(url, resolve));
    response.setEncoding('utf8');
    // the first event arrives although the upstream's next read has not come
    const first = await new Promise<string>((resolve) => response.once('data', resolve));
    expect(first).toBe('data: {"a":1}\n\n');
    releaseSecondRead();
    let rest = '';
    for await (const part of response) rest += String(part);
    expect(rest).toBe('data: [DONE]\n\n');
    expect((await outcome).endState).toBe('completed');
  });
});
