import type { Usage } from '@qwen-relay/openai-adapter';
import { convertUsageToServedUsage } from '../scheduling/convert-usage-to-served-usage';
import { identifyClient } from '../scheduling/identify-request';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { readGenAiRequestFacts } from '../tracing/read-gen-ai-facts';
import { type ModelCallTrace, traceModelCall } from '../tracing/trace-model-call';

/** A model call under way: its upstream result, its GenAI span, and how to count it served. */
export interface RunningModelCall<T> {
  result: T;
  modelCall: ModelCallTrace;
  /** counts the request for the scheduling (plan windows, usage, the conversation's account) */
  recordServed(usage: Usage | undefined): void;
}

/**
 * What the chat, Responses and Messages handlers do alike once their request is parsed: look
 * up the conversation's last account, run the upstream call (`call`, given that account) inside
 * the GenAI span (failing the span when the call fails), and bind what counting it served needs.
 */
export async function runModelCall<T extends { accountId: string }>({
  context,
  scope,
  sessionKey,
  clientModel,
  payload,
  stream,
  call,
}: {
  context: ProxyContext;
  scope: RequestScope;
  sessionKey: string | undefined;
  clientModel: string;
  /**
   * the request as sent upstream, or the client's when it names the same facts (`model`,
   * `max_tokens`, `temperature`, `top_p`); read only when tracing is on
   */
  payload: Record<string, unknown>;
  stream: boolean;
  call: (preferAccountId: string | undefined) => Promise<T>;
}): Promise<RunningModelCall<T>> {
  // a cached conversation (or none) is looked up without waiting for anything
  const lookedUp = context.scheduling.lookupSession(sessionKey);
  const preferAccountId = lookedUp instanceof Promise ? await lookedUp : lookedUp;
  const modelCall = traceModelCall({
    context,
    facts: () => ({
      operation: 'chat',
      ...readGenAiRequestFacts({ payload, clientModel }),
      stream,
    }),
  });
  const result = await modelCall
    .run(() => call(preferAccountId))
    .catch((error: unknown) => {
      modelCall.fail(error);
      throw error;
    });
  // bound in a function of its own: a closure made here would share this call's scope, and keep
  // the request's payload alive for as long as a stream that counts itself at the end runs
  const recordServed = bindRecordServed({
    context,
    scope,
    accountId: result.accountId,
    clientModel,
    sessionKey,
  });
  return { result, modelCall, recordServed };
}

function bindRecordServed({
  context,
  scope,
  accountId,
  clientModel,
  sessionKey,
}: {
  context: ProxyContext;
  scope: RequestScope;
  accountId: string;
  clientModel: string;
  sessionKey: string | undefined;
}): (usage: Usage | undefined) => void {
  return (usage) =>
    context.scheduling.recordServed({
      accountId,
      model: clientModel,
      client: identifyClient({
        headers: scope.request.headers,
        clientNames: context.config.proxyClientNames,
      }),
      sessionKey,
      usage: convertUsageToServedUsage(usage),
    });
}
