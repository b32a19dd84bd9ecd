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
  // set one by one, not spread into the head's object: on Node 20 members added after a spread
  // of a non-empty object take V8's slow path (~0.5–1 µs)
  for (const name in headers) response.setHeader(name, headers[name] as string);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text).toString(),
  });
  response.end(text);
}
