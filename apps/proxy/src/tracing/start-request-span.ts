import type { IncomingHttpHeaders } from 'node:http';
import {
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';

/** A request's server span and the context its handler runs in. */
export interface RequestSpan {
  readonly span: Span;
  readonly context: Context;
  /** records the final status (and the client leaving) and ends the span */
  end(options: { status: number; clientLeft: boolean }): void;
}

/**
 * Starts the HTTP server span of one API request (`POST /v1/chat/completions`), continuing the
 * client's trace when it sent a W3C `traceparent`. Only method, route, path and status are
 * recorded: no header values, no body.
 */
export function startRequestSpan({
  tracer,
  method,
  route,
  path,
  headers,
  requestId,
}: {
  tracer: Tracer;
  method: string;
  /** the route template, e.g. `/v1/models/{id}`; absent for unknown paths (no path in the name) */
  route?: string;
  path: string;
  headers: IncomingHttpHeaders;
  requestId: string;
}): RequestSpan {
  const parent = propagation.extract(context.active(), headers);
  const span = tracer.startSpan(
    route === undefined ? method : `${method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        ...(route === undefined ? {} : { 'http.route': route }),
        'url.path': path,
        'qwen_relay.request_id': requestId,
      },
    },
    parent,
  );
  return {
    span,
    context: trace.setSpan(parent, span),
    end({ status, clientLeft }) {
      span.setAttribute('http.response.status_code', status);
      if (clientLeft) span.setAttribute('qwen_relay.client_left', true);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
