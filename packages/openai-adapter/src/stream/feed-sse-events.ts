import {
  dispatchSseEvent,
  parseSseLine,
  type SseEvent,
  type SseEventParserState,
} from '../sse/parse-sse-line';
import { flushSseLines, type LineSplitterState, splitSseLines } from '../sse/split-sse-lines';

/** The part of a translating transform's state the bytes → lines → events layers use. */
export interface SseEventStreamState extends LineSplitterState, SseEventParserState {
  maxLineBytes: number;
  /** set once the stream is over: later lines and events are not read */
  finished: string | null;
}

/** One upstream SSE event for a translating transform (`atEnd`: cut off by the end of the stream). */
export interface SseEventOptions<State> {
  state: State;
  event: SseEvent;
  atEnd: boolean;
}

/** What a translating transform does with one upstream SSE event; returns the client text it completes. */
export type SseEventHandler<State> = (options: SseEventOptions<State>) => string;

/**
 * Layers 1 and 2 for the translating transforms (chat, Responses, Anthropic): splits one read
 * into lines and events and hands each event to `handleEvent` until the stream is finished. A line
 * over `state.maxLineBytes` goes to `fail`, whose text ends the output.
 */
export function feedSseEvents<State extends SseEventStreamState>({
  state,
  bytes,
  handleEvent,
  fail,
}: {
  state: State;
  bytes: Uint8Array;
  handleEvent: SseEventHandler<State>;
  fail: (options: { state: State; error: unknown }) => string;
}): string {
  let text = '';
  try {
    splitSseLines({
      state,
      bytes,
      maxLineBytes: state.maxLineBytes,
      onLine: (line) => {
        const event = parseSseLine({ state, line });
        if (event) text += handleEvent({ state, event, atEnd: false });
        return state.finished === null;
      },
    });
  } catch (error) {
    text += fail({ state, error });
  }
  return text;
}

/**
 * The end of the upstream stream: the unterminated last line, then the event it leaves
 * undispatched (no blank line after it), both handled with `atEnd`. Nothing once finished.
 */
export function flushSseEvents<State extends SseEventStreamState>({
  state,
  handleEvent,
}: {
  state: State;
  handleEvent: SseEventHandler<State>;
}): string {
  if (state.finished !== null) return '';
  let text = '';
  flushSseLines({
    state,
    onLine: (line) => {
      const event = parseSseLine({ state, line });
      if (event) text += handleEvent({ state, event, atEnd: true });
      return state.finished === null;
    },
  });
  const event = state.finished === null ? dispatchSseEvent(state) : undefined;
  if (event) text += handleEvent({ state, event, atEnd: true });
  return text;
}
