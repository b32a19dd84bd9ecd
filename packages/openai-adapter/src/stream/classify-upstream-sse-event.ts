import { MalformedUpstreamResponseError } from '../errors/malformed-upstream-response-error';
import type { UpstreamStreamError } from '../errors/upstream-stream-error';
import { convertUpstreamErrorObject } from '../mapping/convert-upstream-error-object';
import type { SseEvent } from '../sse/parse-sse-line';
import { isPlainObject } from '../validation/field-checks';

/** What one upstream chat SSE event means to a protocol translation. */
export type UpstreamSseEvent =
  | { kind: 'done' }
  | { kind: 'chunk'; chunk: Record<string, unknown> }
  | { kind: 'error'; error: UpstreamStreamError | MalformedUpstreamResponseError }
  | { kind: 'skip' };

/**
 * Layer 3 for translations (Anthropic, Responses): one upstream SSE event → `[DONE]`, a parsed
 * `chat.completion.chunk`, or an error (an `event: error`, a `data: {"error":…}` event, data that
 * is not a JSON object). `atEnd`: the event was cut off by the end of the stream; a half event
 * then is skipped, as the chat transform does, because the stream is simply incomplete.
 */
export function classifyUpstreamSseEvent({
  event,
  atEnd,
}: {
  event: SseEvent;
  atEnd: boolean;
}): UpstreamSseEvent {
  const data = event.data.trim();
  if (data === '[DONE]') return { kind: 'done' };
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    if (atEnd) return { kind: 'skip' };
    return {
      kind: 'error',
      error: new MalformedUpstreamResponseError({
        message: 'upstream sent an SSE event that is not JSON',
      }),
    };
  }
  if (!isPlainObject(chunk)) {
    return {
      kind: 'error',
      error: new MalformedUpstreamResponseError({
        message: 'upstream sent an SSE event that is not an object',
      }),
    };
  }
  if (chunk.error !== undefined && chunk.error !== null) {
    return { kind: 'error', error: convertUpstreamErrorObject(chunk.error) };
  }
  if (event.type === 'error') return { kind: 'error', error: convertUpstreamErrorObject(chunk) };
  return { kind: 'chunk', chunk };
}
