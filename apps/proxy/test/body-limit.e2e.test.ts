import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from './support/start-test-environment';

const LIMIT_IN_BYTES = 1024 * 1024;
const BODY_IN_BYTES = 3 * 1024 * 1024;
const CHUNK_IN_BYTES = 64 * 1024;

interface UploadResult {
  responseText: string;
  socketErrors: string[];
  writeErrorCode?: string;
}

/**
 * A raw HTTP/1.1 client that uploads an oversized body in paced chunks, the way a slow network
 * or a busy client does, and records every socket error (node:http hides late ones).
 */
async function uploadOversizedBody({
  port,
  chunked,
}: {
  port: number;
  chunked: boolean;
}): Promise<UploadResult> {
  const socket = connect(port, '127.0.0.1');
  let responseText = '';
  const socketErrors: string[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    responseText += text;
  });
  socket.on('error', (error: NodeJS.ErrnoException) => socketErrors.push(error.code ?? 'error'));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const write = (data: string | Buffer) =>
    new Promise<Error | null | undefined>((resolve) => socket.write(data, resolve));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));

  const framing = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${BODY_IN_BYTES}`;
  let writeError = await write(
    `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`,
  );
  for (let sent = 0; sent < BODY_IN_BYTES && !writeError; sent += CHUNK_IN_BYTES) {
    // pause now and then so the server has answered while most of the body is still to come
    if (sent % (512 * 1024) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const data = Buffer.alloc(CHUNK_IN_BYTES, 0x61);
    writeError = await write(
      chunked
        ? Buffer.concat([
            Buffer.from(`${CHUNK_IN_BYTES.toString(16)}\r\n`),
            data,
            Buffer.from('\r\n'),
          ])
        : data,
    );
  }
  if (!writeError && chunked) writeError = await write('0\r\n\r\n');
  await closed;
  const code = (writeError as NodeJS.ErrnoException | null | undefined)?.code;
  return { responseText, socketErrors, ...(code === undefined ? {} : { writeErrorCode: code }) };
}

describe('an upload over BODY_LIMIT_BYTES', () => {
  let environment: TestEnvironment;
  beforeAll(async () => {
    environment = await startTestEnvironment({ env: { BODY_LIMIT_BYTES: String(LIMIT_IN_BYTES) } });
  });
  afterAll(async () => {
    await environment.close();
  });

  it.each([
    { framing: 'Content-Length', chunked: false },
    { framing: 'chunked', chunked: true },
  ])(
    'always reaches the client as a 413 envelope, never a reset ($framing)',
    async ({ chunked }) => {
      for (let round = 0; round < 3; round++) {
        const result = await uploadOversizedBody({ port: environment.proxy.port, chunked });
        expect(result.writeErrorCode).toBeUndefined();
        expect(result.socketErrors).toEqual([]);
        const [head = '', body = ''] = result.responseText.split('\r\n\r\n');
        expect(head).toMatch(/^HTTP\/1\.1 413 /);
        expect(head).toMatch(/^connection: close$/im);
        expect(JSON.parse(body)).toMatchObject({ error: { code: 'request_too_large' } });
      }
      expect(environment.fake.counters.chatCalls).toBe(0);
    },
  );
});
