import type { StreamTransformState } from '@qwen-relay/openai-adapter';
import type { StreamEnd } from '@qwen-relay/qwen-client';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { type ChatStreamOutcome, pipeChatStream } from './pipe-chat-stream';

/**
 * Relays an upstream stream to the client through the runner's transform starting from
 * `initialState` (a fresh chat, Anthropic or Responses transform's state), counting it in flight
 * and in `qwen_relay_streams_total`, and logging a stream that ended early (its client got the
 * final error event; `earlyEndMessage` says which).
 */
export async function relayUpstreamStream({
  context,
  scope,
  body,
  ended,
  initialState,
  headers,
  encodeErrorEvent,
  beforeEnd,
  earlyEndMessage = 'Stream ended early; sent a final error event to the client',
}: {
  context: ProxyContext;
  scope: RequestScope;
  body: AsyncIterable<Uint8Array>;
  ended: Promise<StreamEnd>;
  initialState: StreamTransformState;
  headers?: Record<string, string> | undefined;
  encodeErrorEvent?: ((error: unknown) => Uint8Array) | undefined;
  /** see pipeChatStream (a Responses stream keeps its final response first) */
  beforeEnd?: ((outcome: ChatStreamOutcome) => Promise<void>) | undefined;
  /** the warning logged for a stream that ended early */
  earlyEndMessage?: string | undefined;
}): Promise<ChatStreamOutcome> {
  const transformer = context.transformRunner.createStream({ initialState });
  context.streamsInFlight += 1;
  context.metrics.streamsInFlight.inc();
  try {
    const outcome = await pipeChatStream({
      body,
      ended,
      transformer,
      response: scope.response,
      isClientGone: scope.isClientGone,
      getStopReason: scope.getStopReason,
      headers,
      encodeErrorEvent,
      beforeEnd,
    });
    scope.streamEndState = outcome.endState;
    context.metrics.streams.inc({ end_state: outcome.endState });
    if (outcome.endState === 'truncated' || outcome.endState === 'upstream-error') {
      context.logger.warn(earlyEndMessage, {
        requestId: scope.requestId,
        endState: outcome.endState,
        chunkCount: outcome.chunkCount,
        error: outcome.error,
      });
    }
    return outcome;
  } finally {
    context.streamsInFlight -= 1;
    context.metrics.streamsInFlight.dec();
  }
}
