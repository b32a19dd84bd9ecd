import type {
  StreamFailure,
  StreamSummary,
  StreamTransformState,
} from '@qwen-relay/openai-adapter';

/** Transforms one client stream, chunk by chunk, strictly in order. */
export interface SseStreamTransformer {
  /**
   * the upstream bytes that arrived since the last call in (one network read, or several that came
   * while the last call was in flight), the client's SSE out (maybe empty): as text when the
   * transform built text on this thread (written without an encoding step), else as bytes
   */
  transform(chunk: Uint8Array): Uint8Array | string | Promise<Uint8Array>;
  /**
   * flushes what is buffered and reports how the upstream stream ended; `failure` is why it
   * stopped early, for transforms that tell the client themselves (`summary.failureReported`)
   */
  end(options?: {
    failure?: StreamFailure;
  }): Promise<{ bytes: Uint8Array; summary: StreamSummary }>;
}

/** Runs SSE transforms inline or on a piscina pool; both produce byte-identical output. */
export interface SseTransformRunner {
  readonly mode: 'inline' | 'workers';
  /** worker threads (0 when inline) */
  readonly threads: number;
  /** tasks waiting for a worker (0 when inline) */
  readonly queueSize: number;
  /**
   * A transformer for one stream, starting from `initialState` (a fresh chat, Anthropic,
   * Anthropic passthrough or Responses transform state); which transform runs is decided by the
   * state. The state is handed over: the runner may continue on it in place, so the caller
   * passes a fresh one and keeps no reference to it.
   */
  createStream(options: { initialState: StreamTransformState }): SseStreamTransformer;
  close(): Promise<void>;
}
