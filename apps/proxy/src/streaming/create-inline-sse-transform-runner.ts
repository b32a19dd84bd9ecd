import { createChatStreamTransform } from '@qwen-relay/openai-adapter';
import type { SseTransformRunner } from './sse-transform-runner';

/** Runs the chat stream transform on the main thread (SSE_WORKERS=0). */
export function createInlineSseTransformRunner(): SseTransformRunner {
  return {
    mode: 'inline',
    threads: 0,
    queueSize: 0,
    createStream({ clientModel, includeUsage }) {
      const transform = createChatStreamTransform({ clientModel, includeUsage });
      return {
        // synchronous: the caller awaits only when a worker runner hands back a promise
        transform: (chunk) => transform.transform(chunk),
        end: async () => transform.end(),
      };
    },
    close: async () => {},
  };
}
