import { readGenAiResponseFacts } from './read-gen-ai-facts';
import type { ModelCallTrace } from './trace-model-call';

/**
 * Once a whole (JSON) answer arrived: ends the model call's span as a success, with the GenAI
 * facts of the body (read only when the span records) and the account and attempts of the call.
 * The twin of `finishStreamedCall` for answers that were not streamed.
 */
export function finishWholeCall({
  modelCall,
  result,
}: {
  modelCall: ModelCallTrace;
  result: { body: unknown; accountId: string; attempts: readonly unknown[] };
}): void {
  modelCall.succeed(() => ({
    ...readGenAiResponseFacts(result.body),
    accountId: result.accountId,
    attempts: result.attempts.length,
  }));
}
