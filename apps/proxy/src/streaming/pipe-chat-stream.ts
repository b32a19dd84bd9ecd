import type { ServerResponse } from 'node:http';
import { isQwenRelayError } from '@qwen-relay/contracts';
import {
  convertErrorToOpenAIError,
  encodeSseErrorEvent,
  type StreamFailure,
  StreamTruncatedError,
  type Usage,
} from '@qwen-relay/openai-adapter';
import type { StreamEnd } from '@qwen-relay/qwen-client';
import type { StreamEndState } from '../metrics/create-proxy-metrics';
import type { SseStreamTransformer } from './sse-transform-runner';
import { writeWithBackpressure } from './write-with-backpressure';

/** How a client stream ended, for logs and `qwen_relay_streams_total`. */
export interface ChatStreamOutcome {
  endState: StreamEndState;
  chunkCount: number;
  error?: unknown;
  /** token counts from the upstream's usage chunk, when it sent one */
  usage?: Usage;
  /** the model the upstream named, and the finish reasons it sent (for traces) */
  upstreamModel?: string;
  finishReasons?: string[];
  /** the terminal response object of a Responses stream whose transform keeps it */
  finalResponse?: Record<string, unknown>;
}

/** The SSE response headers (no proxy or nginx buffering). */
export const SSE_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

/**
 * The head of an SSE answer: the route's own headers, then SSE_RESPONSE_HEADERS. Set one by one
 * rather than spread into one object: on Node 20 members added after a spread of a non-empty
 * object take V8's slow path (~0.8 µs for these).
 */
export function writeSseHead({
  response,
  headers,
}: {
  response: ServerResponse;
  headers: Record<string, string>;
}): void {
  for (const name in headers) response.setHeader(name, headers[name] as string);
  response.writeHead(200, SSE_RESPONSE_HEADERS);
}

/**
 * Streams an upstream SSE body to the client through the transform, one value of the body at a
 * time (a network read, or the reads that arrived while the previous value was transformed).
 * After the first byte nothing is retried: a failure or a missing `[DONE]` becomes a final
 * error event (`data: {"error":...}` for chat, `event: error` for Anthropic) and the response
 * ends without the protocol's normal end (docs/design.md §4.4).
 */
export async function pipeChatStream({
  body,
  ended,
  transformer,
  response,
  isClientGone,
  getStopReason = () => undefined,
  headers = {},
  encodeErrorEvent = encodeSseErrorEvent,
  beforeEnd,
}: {
  body: AsyncIterable<Uint8Array>;
  ended: Promise<StreamEnd>;
  transformer: SseStreamTransformer;
  response: ServerResponse;
  isClientGone: () => boolean;
  /** set when the server stops the stream (shutdown): reported as the final error event */
  getStopReason?: () => Error | undefined;
  headers?: Record<string, string> | undefined;
  /** the final error event in the client's protocol (OpenAI `data: {"error":…}` by default) */
  encodeErrorEvent?: ((error: unknown) => Uint8Array) | undefined;
  /**
   * awaited after the last event of a completed stream and before the response ends (a client
   * reading to the end finds what it does in place: a stored response)
   */
  beforeEnd?: ((outcome: ChatStreamOutcome) => Promise<void>) | undefined;
}): Promise<ChatStreamOutcome> {
  writeSseHead({ response, headers });
  /*
   * A read's events are held until the end of this turn of the event loop, then written. When
   * the upstream's end comes in the same network read as its last events (the usual case), the
   * loop below ends in this turn too, and the last events, the end and the chunked terminator
   * leave in one `end(bytes)`: one system call instead of two. Two reads in one turn are one
   * write, up to HELD_BYTES_LIMIT (then they leave at once, and a full socket buffer stops the
   * upstream reads). The headers leave with the first events when they are here by then, else
   * alone.
   */
  const output = new TurnBuffer(response);

  let readError: unknown;
  try {
    for await (const chunk of body) {
      if (isClientGone() || getStopReason() !== undefined) break;
      // backpressure: a full socket buffer stops the upstream reads until it drains
      const draining = output.takeDraining();
      if (draining !== undefined) {
        await draining;
        if (isClientGone() || getStopReason() !== undefined) break;
      }
      const transformed = transformer.transform(chunk);
      output.hold(transformed instanceof Promise ? await transformed : transformed);
    }
  } catch (error) {
    readError = error;
  }
  // `ended` settles once the body is consumed or has failed; it never rejects by contract
  const upstreamEnd = await ended.catch(
    (error: unknown): StreamEnd => ({ state: 'dropped', error: error as Error }),
  );
  if (isClientGone()) {
    output.discard();
    return { endState: 'client-aborted', chunkCount: 0 };
  }

  // a stream stopped by the server ends with the stop reason, not the abort it caused upstream;
  // it only matters when the upstream did not finish (a clean end needs no failure built)
  const failure = getStopReason() ?? readError ?? upstreamEnd.error;
  const reportFailure = () =>
    isQwenRelayError(failure) ? failure : new StreamTruncatedError({ cause: failure });
  const { bytes, summary } = await transformer.end(
    failure === undefined ? {} : { failure: convertToStreamFailure(reportFailure()) },
  );
  output.hold(bytes);
  const usage = summary.usage === undefined ? {} : { usage: summary.usage };
  if (summary.endState === 'upstream-error') {
    // the transform already turned the upstream's error event into the client's final event
    output.end();
    return {
      endState: 'upstream-error',
      chunkCount: summary.chunkCount,
      error: summary.error,
      ...usage,
    };
  }
  if (summary.endState === 'done') {
    const outcome: ChatStreamOutcome = {
      endState: 'completed',
      chunkCount: summary.chunkCount,
      ...usage,
      ...(summary.upstreamModel === undefined ? {} : { upstreamModel: summary.upstreamModel }),
      ...(summary.finishReasons === undefined ? {} : { finishReasons: summary.finishReasons }),
      ...(summary.response === undefined ? {} : { finalResponse: summary.response }),
    };
    if (beforeEnd !== undefined) {
      // the last events reach the client now; the end waits for what must be in place first
      await output.flush();
      await beforeEnd(outcome);
    }
    // `[DONE]` reached the client: a socket error after it changes nothing for the client
    output.end();
    return outcome;
  }
  // the Responses transform ends a failed stream with its own `error` + `response.failed`
  const reported = reportFailure();
  if (summary.failureReported !== true) output.hold(encodeErrorEvent(reported));
  output.end();
  return { endState: 'truncated', chunkCount: summary.chunkCount, error: reported, ...usage };
}

/**
 * Held output is written at once past this size (a socket's default high-water mark): reads
 * already buffered upstream come in one turn, and must not pile up unwritten. Text counts its
 * UTF-16 length (its UTF-8 size is at most three times that: close enough for a threshold).
 */
const HELD_BYTES_LIMIT = 16 * 1024;

/** Held parts as one write: joined text when all are text, else bytes. */
function joinHeld(held: readonly (Uint8Array | string)[]): Uint8Array | string {
  if (held.every((part) => typeof part === 'string')) return held.join('');
  return Buffer.concat(
    held.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)),
  );
}

/**
 * The client's output of one event-loop turn, written together (see pipeChatStream). A class, so
 * a stream makes one object instead of a closure per operation, and its turn's end is one shared
 * function called with it.
 */
class TurnBuffer {
  private held: (Uint8Array | string)[] = [];
  private heldSize = 0;
  private wroteAny = false;
  private scheduled = false;
  private draining: Promise<void> | undefined;

  constructor(private readonly response: ServerResponse) {
    this.schedule();
  }

  /** adds text or bytes to this turn's write (nothing for empty ones) */
  hold(output: Uint8Array | string): void {
    if (output.length === 0) return;
    this.held.push(output);
    this.heldSize += output.length;
    if (this.heldSize >= HELD_BYTES_LIMIT) this.writeHeld();
    else this.schedule();
  }

  /** the 'drain' the last write waits for, once; undefined when the socket took it */
  takeDraining(): Promise<void> | undefined {
    const pending = this.draining;
    this.draining = undefined;
    return pending;
  }

  /** writes what is held now; settles when the socket buffer has room again */
  flush(): Promise<void> {
    this.writeHeld();
    return this.takeDraining() ?? Promise.resolve();
  }

  /** ends the response with what is held as its last bytes (one write) */
  end(): void {
    const output = this.take();
    if (output === undefined || this.response.destroyed) this.response.end();
    else this.response.end(output);
  }

  /** drops what is held (the client is gone) */
  discard(): void {
    this.held = [];
    this.heldSize = 0;
  }

  /** the end of the turn the output was held in (see endTurn) */
  endTurn(): void {
    this.scheduled = false;
    const { response } = this;
    if (response.writableEnded || response.destroyed) return;
    this.writeHeld();
    // no event yet: the client still gets the headers at once
    if (!this.wroteAny) response.flushHeaders();
  }

  private take(): Uint8Array | string | undefined {
    const { held } = this;
    if (held.length === 0) return undefined;
    const output = held.length === 1 ? (held[0] as Uint8Array | string) : joinHeld(held);
    this.held = [];
    this.heldSize = 0;
    return output;
  }

  private writeHeld(): void {
    const output = this.take();
    if (output === undefined) return;
    this.wroteAny = true;
    this.draining = writeWithBackpressure({ response: this.response, output }) ?? this.draining;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(endTurn, this);
  }
}

function endTurn(buffer: TurnBuffer): void {
  buffer.endTurn();
}

// plain data for the transform (it may run in a worker): the client's envelope and our code
function convertToStreamFailure(error: unknown): StreamFailure {
  const { body } = convertErrorToOpenAIError(error);
  const failure: StreamFailure = {
    message: body.error.message,
    type: body.error.type,
    code: body.error.code,
  };
  if (isQwenRelayError(error)) failure.relayCode = error.code;
  return failure;
}
