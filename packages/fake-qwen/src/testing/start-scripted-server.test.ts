import { request as sendRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ScriptedServer, startScriptedServer } from './start-scripted-server';
import { waitFor } from './wait-for';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startScriptedServer', () => {
  it('answers with what the script returns and records each request with its form', async () => {
    server = await startScriptedServer(({ index, request }) =>
      request.path === '/token'
        ? { status: 200, body: { index, grant: request.form.grant_type } }
        : { status: 404, body: 'no such page', headers: { 'x-index': String(index) } },
    );
    const token = await fetch(`${server.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token' }),
    });
    expect(token.headers.get('content-type')).toBe('application/json');
    expect(await token.json()).toEqual({ index: 1, grant: 'refresh_token' });
    const missing = await fetch(`${server.url}/other?x=1`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/html');
    expect(missing.headers.get('x-index')).toBe('2');
    expect(await missing.text()).toBe('no such page');
    expect(server.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'POST /token',
      'GET /other?x=1',
    ]);
  });

  it('lets the script write the response itself and counts clients that leave early', async () => {
    server = await startScriptedServer(({ response }) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
    });
    const url = new URL(server.url);
    await new Promise<void>((resolve, reject) => {
      const outgoing = sendRequest({ host: url.hostname, port: url.port, path: '/' }, (answer) => {
        answer.once('data', (chunk: Buffer) => {
          expect(chunk.toString('utf8')).toBe('data: first\n\n');
          outgoing.destroy();
          resolve();
        });
      });
      outgoing.on('error', (error) => {
        if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
      });
      outgoing.end();
    });
    await waitFor(() => server?.closedByClient === 1, { message: 'the early close' });
  });

  it('destroys the socket when told to, which the client sees as a network error', async () => {
    server = await startScriptedServer(() => ({ status: 200, destroy: true }));
    await expect(fetch(server.url)).rejects.toThrow(TypeError);
    expect(server.requests).toHaveLength(1);
  });
});
