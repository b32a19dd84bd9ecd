import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the scripted server saw it. */
export interface ScriptedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A tiny loopback HTTP server whose answers the test scripts per request. */
export interface ScriptedServer {
  url: string;
  requests: ScriptedRequest[];
  /** responses whose client went away before they ended */
  closedByClient: number;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0; `handle` gets the request number (1-based). */
export async function startScriptedServer(
  handle: (context: {
    index: number;
    request: ScriptedRequest;
    response: ServerResponse;
  }) => void | Promise<void>,
): Promise<ScriptedServer> {
  const sockets = new Set<Socket>();
  const requests: ScriptedRequest[] = [];
  const state = { closedByClient: 0 };
  const server: Server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request = {
      path: incoming.url ?? '',
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(request);
    response.on('close', () => {
      if (!response.writableFinished) state.closedByClient++;
    });
    await handle({ index: requests.length, request, response });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get closedByClient() {
      return state.closedByClient;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON answer. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
