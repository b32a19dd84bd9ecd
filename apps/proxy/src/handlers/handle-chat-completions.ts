import {
  convertChatCompletionRequestToQwen,
  convertQwenChatCompletionToOpenAI,
  createChatStreamTransformState,
  safeParseChatCompletionRequest,
  synthesizeChatCompletionStream,
} from '@qwen-relay/openai-adapter';
import { readJsonBodyAndText } from '../http/read-request-body';
import { deriveRequestSessionKey } from '../scheduling/identify-request';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { finishWholeCall } from '../tracing/finish-whole-call';
import { relayStreamedAnswer } from './relay-streamed-answer';
import { runModelCall } from './run-model-call';
import { sendWholeAnswer } from './send-whole-answer';

/** POST /v1/chat/completions: validate, map, call upstream, answer as JSON or SSE (docs/design.md §4). */
export async function handleChatCompletions({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}): Promise<void> {
  const { result, modelCall, recordServed, clientModel, stream, includeUsage } =
    await startChatCall({ context, scope });

  if (result.kind === 'json') {
    finishWholeCall({ modelCall, result });
    const completion = convertQwenChatCompletionToOpenAI({ body: result.body, clientModel });
    recordServed(completion.usage);
    sendWholeAnswer({
      context,
      scope,
      stream,
      body: completion,
      toStream: () => synthesizeChatCompletionStream({ completion, includeUsage }),
    });
    return;
  }

  await relayStreamedAnswer({
    context,
    scope,
    result,
    initialState: createChatStreamTransformState({ clientModel, includeUsage }),
    modelCall,
    recordServed,
  });
}

/**
 * The request's part: read, validate, map and send it upstream. Its own function, so the
 * request (the whole conversation, often hundreds of kilobytes) is garbage once the answer
 * starts, not kept until a stream of minutes ends.
 */
async function startChatCall({ context, scope }: { context: ProxyContext; scope: RequestScope }) {
  const { request } = scope;
  const { body, text, bytes } = await readJsonBodyAndText({
    request,
    limitInBytes: context.config.bodyLimitInBytes,
  });
  const parsed = safeParseChatCompletionRequest(body);
  if (!parsed.success) throw parsed.error;
  const { payload, clientModel, stream, includeUsage } = convertChatCompletionRequestToQwen({
    request: parsed.data,
    // each account renames models itself (portal aliases for OAuth, none for plan hosts)
    modelAliases: {},
    portalQuirks: context.config.portalQuirks,
  });

  const sessionKey = deriveRequestSessionKey({
    headers: request.headers,
    user: parsed.data.user,
    messages: parsed.data.messages,
  });
  const running = await runModelCall({
    context,
    scope,
    sessionKey,
    clientModel,
    payload,
    stream,
    call: (preferAccountId) =>
      context.client.chatCompletion({
        payload,
        // the messages and tools go upstream as the client wrote them, not serialised again
        sourceText: { payload: parsed.data as unknown as Record<string, unknown>, text, bytes },
        signal: scope.signal,
        requestId: scope.requestId,
        ...(preferAccountId === undefined ? {} : { preferAccountId }),
      }),
  });
  // named, not spread: `{ ...running, … }` here cost 6–8 % of a chat request's CPU (paired A/B)
  const { result, modelCall, recordServed } = running;
  return { result, modelCall, recordServed, clientModel, stream, includeUsage };
}
