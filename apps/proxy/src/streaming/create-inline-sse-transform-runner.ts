import { restoreStreamTransform } from '@qwen-relay/openai-adapter';
import type { SseTransformRunner } from './sse-transform-runner';

/** Runs the stream transforms on the main thread (SSE_WORKERS=0). */
export function createInlineSseTransformRunner(): SseTransformRunner {
  return {
    mode: 'inline',
    threads: 0,
    queueSize: 0,
    createStream({ initialState }) {
      // the state is handed over (see createStream): continued as it is, not copied
      const transform = restoreStreamTransform(initialState, { adopt: true });
      return {
        // synchronous: the caller awaits only when a worker runner hands back a promise; text
        // as the transform built it, encoded once when the turn's output is written
        transform: (chunk) => transform.transformForWrite(chunk),
        end: async (options) => transform.end(options),
      };
    },
    close: async () => {},
  };
}
