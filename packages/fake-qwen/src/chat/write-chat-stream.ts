import type { ServerResponse } from 'node:http';
import type { FaultAction } from '../types';
import { DONE_EVENT } from './build-stream-events';

/** Per-request flags shared with the server's abort accounting. */
export interface ExchangeState {
  /** a streaming response has started (its abort also counts as a stream abort) */
  streaming: boolean;
  /** the fake itself cut the connection (mid-stream-drop): not a client abort */
  droppedByServer: boolean;
}

const DEFAULT_ERROR_FINISH_MESSAGE = 'Requests throttling triggered, please try again later.';

function isGone(response: ServerResponse): boolean {
  return response.destroyed || response.writableEnded;
}

function waitForDrainOrClose(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** Cuts the connection after what was written so far has been flushed (no terminating chunk). */
function dropConnection(response: ServerResponse, exchange: ExchangeState): void {
  exchange.droppedByServer = true;
  const socket = response.socket;
  if (!socket) return;
  socket.once('finish', () => socket.destroy());
  socket.end();
}

/**
 * Writes SSE events with pacing, backpressure and at most one stream fault. `afterChunks`
 * counts `data:` events already written (0 = right after the headers); a fault whose
 * `afterChunks` is past the last event fires just before `data: [DONE]`.
 */
export async function writeChatStream({
  response,
  events,
  chunkDelayInMs,
  fault,
  exchange,
  sleep,
  encodeErrorFinish,
  finalEvent = DONE_EVENT,
  encodeMidStreamError = (error) => `data: ${JSON.stringify({ error })}\n\n`,
}: {
  response: ServerResponse;
  events: readonly string[];
  chunkDelayInMs: number;
  fault: FaultAction | undefined;
  exchange: ExchangeState;
  sleep: (delayInMs: number) => Promise<void>;
  /** the in-band error chunk of this stream (same id/created/model) */
  encodeErrorFinish: (message: string) => string;
  /** what ends a complete stream: `data: [DONE]` (chat), nothing (Anthropic ends on message_stop) */
  finalEvent?: string;
  /** the in-stream error event of a mid-stream-error fault */
  encodeMidStreamError?: (error: Record<string, unknown>) => string;
}): Promise<void> {
  exchange.streaming = true;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  response.flushHeaders();
  const faultAt =
    fault && 'afterChunks' in fault ? Math.min(Math.max(0, fault.afterChunks), events.length) : -1;
  for (let index = 0; index <= events.length; index += 1) {
    if (index === faultAt && fault) {
      if (fault.type === 'mid-stream-error') {
        response.end(encodeMidStreamError(fault.error ?? {}));
        return;
      }
      if (fault.type === 'mid-stream-drop') {
        dropConnection(response, exchange);
        return;
      }
      if (fault.type === 'error-finish') {
        response.end(
          `${encodeErrorFinish(fault.message ?? DEFAULT_ERROR_FINISH_MESSAGE)}${finalEvent}`,
        );
        return;
      }
      if (fault.type === 'stall') await sleep(fault.pauseInMs);
    }
    if (isGone(response)) return;
    if (index === events.length) break;
    if (index > 0 && chunkDelayInMs > 0) {
      await sleep(chunkDelayInMs);
      if (isGone(response)) return;
    }
    if (!response.write(events[index]!)) await waitForDrainOrClose(response);
  }
  if (!isGone(response)) response.end(finalEvent);
}
