import type { ServerResponse } from 'node:http';

/** Writes a complete JSON response. */
export function sendJson({
  response,
  status,
  body,
  headers = {},
}: {
  response: ServerResponse;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text).toString(),
  });
  response.end(text);
}
