import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProxy } from '../src/index';
import { loadBuiltProxy } from './support/load-built-proxy';
import { waitFor } from './support/start-test-environment';

/*
 * A stream can run for minutes while its request (the whole conversation, often hundreds of
 * kilobytes) is no longer needed: once the answer has started, the request must be garbage. The
 * fake runs in its own process (it keeps what it was sent), the body is sent as bytes (so no
 * JavaScript string of it exists here), and the heap is measured after full collections.
 */

const FAKE_CLI = fileURLToPath(new URL('../../../packages/fake-qwen/dist/cli.js', import.meta.url));
const CONTENT_BYTES = 8 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function measureHeapInBytes(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** A request body whose one message is `contentBytes` of text, built as bytes only. */
function createBody(path: string, contentBytes: number): Buffer {
  const [head, tail] =
    path === '/v1/messages'
      ? [
          '{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"',
          '"}]}',
        ]
      : path === '/v1/responses'
        ? ['{"model":"coder-model","stream":true,"input":"', '"}']
        : ['{"model":"coder-model","stream":true,"messages":[{"role":"user","content":"', '"}]}'];
  return Buffer.concat([Buffer.from(head), Buffer.alloc(contentBytes, 'x'), Buffer.from(tail)]);
}

/** Sends `body`; resolves with the response once its first body bytes are here. */
async function startStream(url: string, path: string, body: Buffer): Promise<IncomingMessage> {
  const request = httpRequest(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': body.length },
  });
  request.end(body);
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  expect(response.statusCode).toBe(200);
  await once(response, 'readable');
  return response;
}

/** Waits until the proxy has seen every client stream close. */
function waitForNoOpenStream(url: string): Promise<true> {
  return waitFor(
    async () => {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      return /^qwen_relay_streams_in_flight 0$/m.test(metrics);
    },
    { message: 'no stream in flight' },
  );
}

describe('a streamed answer does not keep its request alive', () => {
  let fake: ChildProcess | undefined;
  let proxy: RunningProxy | undefined;
  let qwenDir = '';

  beforeAll(async () => {
    qwenDir = await mkdtemp(join(tmpdir(), 'qwen-relay-retention-'));
    // 40 chunks, one per 250 ms: every stream is still running while the heap is measured
    fake = spawn(
      process.execPath,
      [
        FAKE_CLI,
        '--port',
        '0',
        '--chunk-count',
        '40',
        '--chunk-delay-ms',
        '250',
        '--write-credentials',
        qwenDir,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    fake.stdout?.setEncoding('utf8');
    const fakeUrl = await new Promise<string>((resolve, reject) => {
      fake?.once('exit', (code) => reject(new Error(`fake-qwen exited (${code})`)));
      fake?.stdout?.on('data', (text: string) => {
        output += text;
        const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
        if (url !== undefined && output.includes('credentials written')) resolve(url);
      });
    });
    const { parseProxyConfig, startProxy } = await loadBuiltProxy();
    proxy = await startProxy({
      ...parseProxyConfig({
        env: {
          PORT: '0',
          QWEN_DIR: qwenDir,
          STATE_DIR: join(qwenDir, 'state'),
          QWEN_OAUTH_BASE_URL: fakeUrl,
          LOG_LEVEL: 'warn',
        },
      }),
      writeLogLine: () => undefined,
    });
  });

  afterAll(async () => {
    await proxy?.close();
    fake?.kill();
    await rm(qwenDir, { recursive: true, force: true });
  });

  it.each(['/v1/chat/completions', '/v1/messages', '/v1/responses'])('on %s', async (path) => {
    const url = proxy?.url ?? '';
    // a route's first requests set up what every later one shares (up to a few megabytes, once)
    (await startStream(url, path, createBody(path, 16))).destroy();
    (await startStream(url, path, createBody(path, CONTENT_BYTES))).destroy();
    await waitForNoOpenStream(url);
    const before = measureHeapInBytes();
    const response = await startStream(url, path, createBody(path, CONTENT_BYTES));
    const during = measureHeapInBytes();
    response.destroy();
    // one copy of the conversation is 8 MiB; what the stream keeps is a few kilobytes
    expect(during - before).toBeLessThan(CONTENT_BYTES / 4);
  });
});
