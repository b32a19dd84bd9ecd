import { MalformedUpstreamResponseError } from '../errors/malformed-upstream-response-error';
import type { UpstreamStreamError } from '../errors/upstream-stream-error';
import { convertUpstreamErrorObject } from '../mapping/convert-upstream-error-object';
import type { SseEvent } from '../sse/parse-sse-line';
import { isPlainObject } from '../validation/field-checks';
import { type FinalChunk, readFinalChunk } from './scan-plain-delta-chunk';

/** What one upstream chat SSE event means to a stream transform. */
export type UpstreamSseEvent =
  | { kind: 'done' }
  | { kind: 'chunk'; chunk: Record<string, unknown> }
  | { kind: 'error'; error: UpstreamStreamError | MalformedUpstreamResponseError }
  | { kind: 'skip' };

const DONE: UpstreamSseEvent = { kind: 'done' };
const SKIP: UpstreamSseEvent & { kind: 'skip' } = { kind: 'skip' };

/**
 * Layer 3 of the Anthropic and Responses translations: one upstream SSE event → `[DONE]`, a parsed
 * `chat.completion.chunk`, or an error (an `event: error`, a `data: {"error":…}` event, data that
 * is not a JSON object). A finish or usage chunk in Qwen's layout is not parsed whole: it is
 * given as the members a translation reads from it (readFinalChunk). A plain text or reasoning
 * delta never comes here: each translation reads it from matchQwenDeltaChunk's match first.
 * `atEnd`: the event was cut off by the end of the stream; a half event then is skipped, because
 * the stream is simply incomplete and the caller reports the truncation with its own cause.
 */
export function classifyUpstreamSseEvent({
  event,
  atEnd,
}: {
  event: SseEvent;
  atEnd: boolean;
}): UpstreamSseEvent {
  const data = event.data.trim();
  if (data === '[DONE]') return DONE;
  if (event.type !== 'error') {
    const final = readFinalChunk(data);
    if (final !== undefined) return { kind: 'chunk', chunk: createFinalChunkRead(final) };
  }
  return classifyUpstreamSseData({ data, type: event.type, atEnd });
}

/**
 * The same for an event whose data is already trimmed and known not to be `[DONE]` (the chat
 * transform looks at the data first, for its fast path).
 */
export function classifyUpstreamSseData({
  data,
  type,
  atEnd,
}: {
  data: string;
  type: string;
  atEnd: boolean;
}): Exclude<UpstreamSseEvent, { kind: 'done' }> {
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    if (atEnd) return SKIP;
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
  if (type === 'error') return { kind: 'error', error: convertUpstreamErrorObject(chunk) };
  return { kind: 'chunk', chunk };
}

// the members of a final chunk a translation reads: the finish reason of its one choice (whose
// delta has no text), or the usage; the model either way
function createFinalChunkRead(final: FinalChunk): Record<string, unknown> {
  return final.kind === 'finish'
    ? { choices: [{ finish_reason: final.finishReason, delta: {} }], model: final.model }
    : { choices: [], usage: final.usage, model: final.model };
}
