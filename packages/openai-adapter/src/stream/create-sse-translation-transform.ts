import { assertStreamStateVersion } from './assert-stream-state-version';
import type { StreamFailure, StreamSummary } from './chat-stream-transform-state';
import { createStreamSummary, type SummarizedStreamState } from './create-stream-summary';
import { encodeStreamText } from './encode-stream-text';
import {
  feedSseEvents,
  flushSseEvents,
  type SseEventHandler,
  type SseEventStreamState,
} from './feed-sse-events';

/** A translating stream transform: upstream chat SSE bytes in, the client protocol's bytes out. */
export interface SseTranslationTransform<State> {
  /** Feeds one read (any split of the upstream bytes); returns the client bytes it completes. */
  transform(bytes: Uint8Array): Uint8Array;
  /** {@link transform}, the output as the text it was built as (no encoding step) */
  transformForWrite(bytes: Uint8Array): string;
  /** Flushes what is buffered, ends the stream and reports how it ended. */
  end(options?: { failure?: StreamFailure }): { bytes: Uint8Array; summary: StreamSummary };
  /** A structured-clone-able copy of the state, to continue elsewhere. */
  getState(): State;
}

/** What makes a translation (chat, Responses, Anthropic) its own; the shell is shared. */
export interface SseTranslationProtocol<State> {
  /** the state's `kind` (chat states have none) and type name, checked when a state is restored */
  kind?: string;
  stateTypeName: string;
  /** one upstream SSE event → the client text it completes */
  handleEvent: SseEventHandler<State>;
  /** ends the stream with an error (a line too long, an upstream error) → the client text */
  fail: (options: { state: State; error: unknown }) => string;
  cloneState: (state: State) => State;
  /** text put before the events of every non-empty read (Responses: its opening events, once) */
  startRead?: (state: State) => string;
  /** at `end()`, after the last event: text that ends a stream the upstream did not finish */
  finishEnd?: (options: { state: State; failure: StreamFailure | undefined }) => {
    text: string;
    failureReported: boolean;
  };
  /** the finish reasons the summary reports */
  readFinishReasons?: (state: State) => readonly string[];
}

type TranslationState = SseEventStreamState & SummarizedStreamState & { version: number };

/**
 * The shell every translation runs in: the SSE layers feed each upstream event to the protocol's
 * `handleEvent` until the stream is finished, a line too long goes to its `fail`, and `end()`
 * flushes the last event, lets the protocol finish the stream and summarises.
 */
export function createSseTranslationTransform<State extends TranslationState>({
  state,
  protocol,
}: {
  state: State;
  protocol: SseTranslationProtocol<State>;
}): SseTranslationTransform<State> {
  const { handleEvent, fail, cloneState, startRead, finishEnd, readFinishReasons } = protocol;
  const transformForWrite = (bytes: Uint8Array): string => {
    if (state.finished !== null || bytes.length === 0) return '';
    const text = startRead === undefined ? '' : startRead(state);
    return text + feedSseEvents({ state, bytes, handleEvent, fail });
  };
  return {
    transform: (bytes) => encodeStreamText(transformForWrite(bytes)),
    transformForWrite,
    end({ failure } = {}) {
      let text = flushSseEvents({ state, handleEvent });
      let failureReported = false;
      if (finishEnd !== undefined) {
        const finished = finishEnd({ state, failure });
        text += finished.text;
        failureReported = finished.failureReported;
      }
      const summary = createStreamSummary({
        state,
        failureReported,
        ...(readFinishReasons === undefined ? {} : { finishReasons: readFinishReasons(state) }),
      });
      return { bytes: encodeStreamText(text), summary };
    },
    getState() {
      return cloneState(state);
    },
  };
}

/** Continues a translation from a state taken with getState (e.g. in another worker). */
export function restoreSseTranslationTransform<State extends TranslationState>({
  state,
  protocol,
  adopt = false,
}: {
  state: State;
  protocol: SseTranslationProtocol<State>;
  /** continue on `state` itself instead of a copy (see RestoreOptions) */
  adopt?: boolean;
}): SseTranslationTransform<State> {
  assertStreamStateVersion({
    state,
    ...(protocol.kind === undefined ? {} : { kind: protocol.kind }),
    typeName: protocol.stateTypeName,
  });
  return createSseTranslationTransform({
    state: adopt ? state : protocol.cloneState(state),
    protocol,
  });
}
