import { sendJson } from '../http/send-json';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { writeSseHead } from '../streaming/pipe-chat-stream';

/**
 * A whole answer in hand (the upstream answered JSON): sent as JSON, or, to a client that asked
 * for a stream (the non-streaming fallback, or an upstream that ignored `stream`), as the
 * complete event stream `toStream` makes of it, counted as a completed stream.
 */
export function sendWholeAnswer({
  context,
  scope,
  stream,
  headers = {},
  body,
  toStream,
}: {
  context: ProxyContext;
  scope: RequestScope;
  stream: boolean;
  headers?: Record<string, string>;
  /** the JSON answer */
  body: unknown;
  /** the same answer as SSE, built only for a streaming client */
  toStream: () => string | Uint8Array;
}): void {
  const { response } = scope;
  if (!stream) {
    sendJson({ response, status: 200, body, headers });
    return;
  }
  writeSseHead({ response, headers });
  response.end(toStream());
  scope.streamEndState = 'completed';
  context.metrics.streams.inc({ end_state: 'completed' });
}
