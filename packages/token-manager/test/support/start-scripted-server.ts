import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the scripted server received. */
export interface ScriptedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  form: Record<string, string>;
}

/** What the script answers. */
export interface ScriptedResponse {
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** destroy the socket instead of answering (network error) */
  destroy?: boolean;
}

/** A tiny loopback HTTP server whose answers come from a test's function. */
export async function startScriptedServer(
  script: (request: ScriptedRequest) => ScriptedResponse | Promise<ScriptedResponse>,
): Promise<{ url: string; requests: ScriptedRequest[]; close(): Promise<void> }> {
  const requests: ScriptedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const request: ScriptedRequest = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body,
        form: Object.fromEntries(new URLSearchParams(body)),
      };
      requests.push(request);
      void Promise.resolve(script(request)).then((answer) => {
        if (answer.destroy) {
          incoming.socket.destroy();
          return;
        }
        const isText = typeof answer.body === 'string';
        outgoing.writeHead(answer.status, {
          'content-type': answer.contentType ?? (isText ? 'text/html' : 'application/json'),
          ...answer.headers,
        });
        outgoing.end(
          answer.body === undefined ? '' : isText ? answer.body : JSON.stringify(answer.body),
        );
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
