import type { StreamTransformState, Usage } from '@qwen-relay/openai-adapter';
import type { UpstreamStreamResult } from '@qwen-relay/qwen-client';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import type { ChatStreamOutcome } from '../streaming/pipe-chat-stream';
import { relayUpstreamStream } from '../streaming/relay-upstream-stream';
import { finishStreamedCall } from '../tracing/finish-streamed-call';
import type { ModelCallTrace } from '../tracing/trace-model-call';

/**
 * An upstream stream relayed to the client through a transform starting from `initialState`,
 * then the call finished by the rule every route shares (finishStreamedCall): counted as served
 * when it completed, its span ended.
 */
export async function relayStreamedAnswer({
  context,
  scope,
  result,
  initialState,
  modelCall,
  recordServed,
  headers,
  encodeErrorEvent,
  beforeEnd,
  earlyEndMessage,
}: {
  context: ProxyContext;
  scope: RequestScope;
  result: UpstreamStreamResult;
  initialState: StreamTransformState;
  modelCall: ModelCallTrace;
  recordServed: (usage: Usage | undefined) => void;
  headers?: Record<string, string> | undefined;
  encodeErrorEvent?: ((error: unknown) => Uint8Array) | undefined;
  beforeEnd?: ((outcome: ChatStreamOutcome) => Promise<void>) | undefined;
  earlyEndMessage?: string | undefined;
}): Promise<void> {
  const outcome = await relayUpstreamStream({
    context,
    scope,
    body: result.body,
    ended: result.ended,
    initialState,
    headers,
    encodeErrorEvent,
    beforeEnd,
    earlyEndMessage,
  });
  finishStreamedCall({
    outcome,
    accountId: result.accountId,
    attempts: result.attempts.length,
    modelCall,
    recordServed,
  });
}
