import type { Usage } from '@qwen-relay/openai-adapter';
import type { ChatStreamOutcome } from '../streaming/pipe-chat-stream';
import type { ModelCallTrace } from './trace-model-call';

/**
 * Once a relayed stream is over: counts the request as served when it completed, and ends the
 * model call's span — as a success when the stream completed or the client left (the upstream
 * did its part), as a failure with the outcome's error otherwise. One rule for every route.
 */
export function finishStreamedCall({
  outcome,
  accountId,
  attempts,
  modelCall,
  recordServed,
}: {
  outcome: ChatStreamOutcome;
  /** the account that served the stream */
  accountId: string;
  /** how many upstream attempts the call took */
  attempts: number;
  modelCall: ModelCallTrace;
  recordServed: (usage: Usage | undefined) => void;
}): void {
  if (outcome.endState === 'completed') recordServed(outcome.usage);
  if (outcome.endState !== 'completed' && outcome.endState !== 'client-aborted') {
    modelCall.fail(outcome.error);
    return;
  }
  // read only when tracing is on: every streamed request comes through here
  modelCall.succeed(() => ({
    ...(outcome.upstreamModel === undefined ? {} : { responseModel: outcome.upstreamModel }),
    ...(outcome.finishReasons === undefined ? {} : { finishReasons: outcome.finishReasons }),
    ...(outcome.usage === undefined
      ? {}
      : {
          inputTokens: outcome.usage.prompt_tokens,
          outputTokens: outcome.usage.completion_tokens,
        }),
    accountId,
    attempts,
  }));
}
