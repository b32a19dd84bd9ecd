import type { ServerResponse } from 'node:http';

/** Sends a complete response with an explicit Content-Length. */
export function sendBody({
  response,
  status,
  body,
  contentType,
  headers,
}: {
  response: ServerResponse;
  status: number;
  body: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}): void {
  if (response.headersSent || response.destroyed) return;
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  const allHeaders: Record<string, string | number> = {
    ...headers,
    'content-length': payload.length,
  };
  if (contentType !== undefined && payload.length > 0) allHeaders['content-type'] = contentType;
  response.writeHead(status, allHeaders);
  response.end(payload);
}

/** Sends `value` as JSON. */
export function sendJson({
  response,
  status,
  value,
  headers,
}: {
  response: ServerResponse;
  status: number;
  value: unknown;
  headers?: Record<string, string>;
}): void {
  sendBody({
    response,
    status,
    body: JSON.stringify(value),
    contentType: 'application/json',
    ...(headers ? { headers } : {}),
  });
}

/** Sends an upstream error body as JSON, or as one SSE `data:` event (pre-stream errors of streaming calls). */
export function sendErrorBody({
  response,
  status,
  value,
  asSse,
  headers,
}: {
  response: ServerResponse;
  status: number;
  value: unknown;
  asSse: boolean;
  headers?: Record<string, string>;
}): void {
  if (!asSse) {
    sendJson({ response, status, value, ...(headers ? { headers } : {}) });
    return;
  }
  sendBody({
    response,
    status,
    body: `data: ${JSON.stringify(value)}\n\n`,
    contentType: 'text/event-stream; charset=utf-8',
    ...(headers ? { headers } : {}),
  });
}

/** Sends an HTML page (WAF challenge, shutdown page). */
export function sendHtml({
  response,
  status,
  html,
}: {
  response: ServerResponse;
  status: number;
  html: string;
}): void {
  sendBody({ response, status, body: html, contentType: 'text/html; charset=utf-8' });
}
