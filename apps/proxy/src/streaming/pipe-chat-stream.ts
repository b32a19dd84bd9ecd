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
 * Streams an upstream SSE body to the client through the transform, one network read at a time.
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
  headers?: Record<string, string>;
  /** the final error event in the client's protocol (OpenAI `data: {"error":…}` by default) */
  encodeErrorEvent?: (error: unknown) => Uint8Array;
  /**
   * awaited after the last event of a completed stream and before the response ends (a client
   * reading to the end finds what it does in place: a stored response)
   */
  beforeEnd?: (outcome: ChatStreamOutcome) => Promise<void>;
}): Promise<ChatStreamOutcome> {
  response.writeHead(200, { ...headers, ...SSE_RESPONSE_HEADERS });
  // the headers leave with the first event when it is already here (one write, not two); else
  // at the end of this turn of the event loop, so the client still has them at once
  let wroteEvents = false;
  setImmediate(() => {
    if (!wroteEvents && !response.writableEnded && !response.destroyed) response.flushHeaders();
  });

  let readError: unknown;
  try {
    for await (const chunk of body) {
      if (isClientGone() || getStopReason() !== undefined) break;
      const transformed = transformer.transform(chunk);
      const bytes = transformed instanceof Uint8Array ? transformed : await transformed;
      if (bytes.byteLength > 0) wroteEvents = true;
      const draining = writeWithBackpressure({ response, bytes });
      if (draining) await draining;
    }
  } catch (error) {
    readError = error;
  }
  // `ended` settles once the body is consumed or has failed; it never rejects by contract
  const upstreamEnd = await ended.catch(
    (error: unknown): StreamEnd => ({ state: 'dropped', error: error as Error }),
  );
  if (isClientGone()) {
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
  await writeWithBackpressure({ response, bytes });
  const usage = summary.usage === undefined ? {} : { usage: summary.usage };
  if (summary.endState === 'upstream-error') {
    // the transform already turned the upstream's error event into the client's final event
    response.end();
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
    if (beforeEnd !== undefined) await beforeEnd(outcome);
    // `[DONE]` reached the client: a socket error after it changes nothing for the client
    response.end();
    return outcome;
  }
  // the Responses transform ends a failed stream with its own `error` + `response.failed`
  const reported = reportFailure();
  if (summary.failureReported !== true) {
    await writeWithBackpressure({ response, bytes: encodeErrorEvent(reported) });
  }
  response.end();
  return { endState: 'truncated', chunkCount: summary.chunkCount, error: reported, ...usage };
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
