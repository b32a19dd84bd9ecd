import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the scripted server received, body read in full. */
export interface ScriptedRequest {
  method: string;
  /** path and query, as sent */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** the body read as `application/x-www-form-urlencoded` (OAuth grants) */
  form: Record<string, string>;
}

/** An answer a script returns instead of writing the response itself. */
export interface ScriptedResponse {
  status: number;
  /** a string is sent as is (`text/html` by default), anything else as JSON */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** destroy the socket instead of answering (a network error for the client) */
  destroy?: boolean;
}

/**
 * Answers one request: return a {@link ScriptedResponse}, or write `response` yourself (streams,
 * stalls) and return nothing. `index` counts requests from 1.
 */
export type ScriptedHandler = (context: {
  index: number;
  request: ScriptedRequest;
  response: ServerResponse;
  // biome-ignore lint/suspicious/noConfusingVoidType: a script that writes the response returns nothing
}) => ScriptedResponse | void | Promise<ScriptedResponse | void>;

/** A loopback HTTP server whose answers come from a test's function. */
export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: ScriptedRequest[];
  /** responses whose client went away before they ended */
  readonly closedByClient: number;
  /** destroys open sockets, then closes the server */
  close(): Promise<void>;
}

/** Starts a scripted server on 127.0.0.1, port 0. */
export async function startScriptedServer(handle: ScriptedHandler): Promise<ScriptedServer> {
  const sockets = new Set<Socket>();
  const requests: ScriptedRequest[] = [];
  let closedByClient = 0;
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const request: ScriptedRequest = {
      method: incoming.method ?? '',
      path: incoming.url ?? '',
      headers: incoming.headers,
      body,
      form: Object.fromEntries(new URLSearchParams(body)),
    };
    requests.push(request);
    response.on('close', () => {
      if (!response.writableFinished) closedByClient++;
    });
    const answer = await handle({ index: requests.length, request, response });
    if (!answer) return;
    if (answer.destroy) {
      incoming.socket.destroy();
      return;
    }
    const isText = typeof answer.body === 'string';
    response.writeHead(answer.status, {
      'content-type': answer.contentType ?? (isText ? 'text/html' : 'application/json'),
      ...answer.headers,
    });
    response.end(
      answer.body === undefined ? '' : isText ? answer.body : JSON.stringify(answer.body),
    );
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
      return closedByClient;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
