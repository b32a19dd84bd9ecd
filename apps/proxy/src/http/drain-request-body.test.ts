import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type DrainOutcome, drainRequestBody } from './drain-request-body';

describe('drainRequestBody', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function drainUpload({
    uploadInBytes,
    maxBytes,
    timeoutInMs = 5_000,
    endUpload = true,
  }: {
    uploadInBytes: number;
    maxBytes: number;
    timeoutInMs?: number;
    endUpload?: boolean;
  }): Promise<DrainOutcome> {
    let resolveOutcome: (outcome: DrainOutcome) => void = () => {};
    const outcome = new Promise<DrainOutcome>((resolve) => {
      resolveOutcome = resolve;
    });
    const listening = createServer((request, response) => {
      void drainRequestBody({ request, maxBytes, timeoutInMs }).then((result) => {
        resolveOutcome(result);
        response.destroy();
      });
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const { port } = listening.address() as AddressInfo;
    const upload = httpRequest({ port, host: '127.0.0.1', method: 'POST' });
    upload.on('error', () => {
      // the server destroys the socket on purpose in some cases
    });
    upload.write(Buffer.alloc(uploadInBytes));
    if (endUpload) upload.end();
    const result = await outcome;
    upload.destroy();
    return result;
  }

  it('reads a body within the bound to its end', async () => {
    expect(await drainUpload({ uploadInBytes: 50_000, maxBytes: 100_000 })).toBe('drained');
  });

  it('gives up past the byte bound', async () => {
    expect(await drainUpload({ uploadInBytes: 1_000_000, maxBytes: 100_000 })).toBe('too-long');
  });

  it('gives up when the upload stalls past the time bound', async () => {
    expect(
      await drainUpload({
        uploadInBytes: 1_000,
        maxBytes: 100_000,
        timeoutInMs: 50,
        endUpload: false,
      }),
    ).toBe('timed-out');
  });
});
