import {
  convertChatCompletionToResponse,
  convertQwenChatCompletionToOpenAI,
  convertResponsesRequestToQwen,
  createResponsesStreamTransform,
  safeParseResponsesRequest,
  synthesizeResponsesStream,
  type Usage,
} from '@qwen-relay/openai-adapter';
import { readJsonBody } from '../http/read-request-body';
import { sendJson } from '../http/send-json';
import { convertUsageToServedUsage } from '../scheduling/convert-usage-to-served-usage';
import { deriveRequestSessionKey, identifyClient } from '../scheduling/identify-request';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { pipeChatStream, SSE_RESPONSE_HEADERS } from '../streaming/pipe-chat-stream';
import { readGenAiRequestFacts, readGenAiResponseFacts } from '../tracing/read-gen-ai-facts';
import { traceModelCall } from '../tracing/trace-model-call';

/** Names the offered hosted tools a response was served without. */
export const IGNORED_TOOLS_HEADER = 'X-Qwen-Relay-Ignored-Tools';

/**
 * POST /v1/responses (OpenAI Responses API) served by translation to chat completions: validate,
 * map, call upstream through the same request path as chat (tokens, refresh-and-retry-once,
 * retries before the first byte, timeouts, abort, session affinity and usage recording, a
 * GenAI span), answer as a response object or as the Responses event stream (docs/design.md §9).
 */
export async function handleResponses({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}): Promise<void> {
  const { request, response } = scope;
  const body = await readJsonBody({ request, limitInBytes: context.config.bodyLimitInBytes });
  const parsed = safeParseResponsesRequest(body);
  if (!parsed.success) throw parsed.error;
  const {
    payload,
    stream,
    context: responseContext,
    ignoredTools,
  } = convertResponsesRequestToQwen({
    request: parsed.data,
    // each account renames models itself (portal aliases for OAuth, none for plan hosts)
    modelAliases: {},
    portalQuirks: context.config.portalQuirks,
  });
  // an offered web search has no Qwen counterpart: served without it, and said so
  if (ignoredTools.length > 0) response.setHeader(IGNORED_TOOLS_HEADER, ignoredTools.join(', '));

  const { clientModel } = responseContext;
  // one conversation stays on one account (prompt caching): `x-session-id`, else `user`, else
  // `instructions` + the first user input, which every turn of a Codex session repeats
  const sessionKey = deriveRequestSessionKey({
    headers: request.headers,
    user: parsed.data.user,
    systemText: parsed.data.instructions,
    messages:
      typeof parsed.data.input === 'string'
        ? [{ role: 'user', content: parsed.data.input }]
        : parsed.data.input,
  });
  const preferAccountId = await context.scheduling.lookupSession(sessionKey);
  const modelCall = traceModelCall({
    context,
    facts: () => ({
      operation: 'chat',
      ...readGenAiRequestFacts({ payload, clientModel }),
      stream,
    }),
  });
  const result = await modelCall
    .run(() =>
      context.client.chatCompletion({
        payload,
        signal: scope.signal,
        requestId: scope.requestId,
        ...(preferAccountId === undefined ? {} : { preferAccountId }),
      }),
    )
    .catch((error: unknown) => {
      modelCall.fail(error);
      throw error;
    });
  const recordServed = (usage: Usage | undefined) =>
    context.scheduling.recordServed({
      accountId: result.accountId,
      model: clientModel,
      client: identifyClient({
        headers: request.headers,
        clientNames: context.config.proxyClientNames,
      }),
      sessionKey,
      usage: convertUsageToServedUsage(usage),
    });

  if (result.kind === 'json') {
    modelCall.succeed(() => ({
      ...readGenAiResponseFacts(result.body),
      accountId: result.accountId,
      attempts: result.attempts.length,
    }));
    const completion = convertQwenChatCompletionToOpenAI({ body: result.body, clientModel });
    recordServed(completion.usage);
    if (!stream) {
      sendJson({
        response,
        status: 200,
        body: convertChatCompletionToResponse({ completion, context: responseContext }),
      });
      return;
    }
    // streaming fallback (or an upstream that answered JSON): re-emit the response as events
    response.writeHead(200, SSE_RESPONSE_HEADERS);
    response.end(synthesizeResponsesStream({ completion, context: responseContext }));
    scope.streamEndState = 'completed';
    context.metrics.streams.inc({ end_state: 'completed' });
    return;
  }

  const transformer = context.transformRunner.createStream({
    initialState: createResponsesStreamTransform({ context: responseContext }).getState(),
  });
  context.streamsInFlight += 1;
  context.metrics.streamsInFlight.inc();
  try {
    const outcome = await pipeChatStream({
      body: result.body,
      ended: result.ended,
      transformer,
      response,
      isClientGone: scope.isClientGone,
      getStopReason: scope.getStopReason,
    });
    scope.streamEndState = outcome.endState;
    if (outcome.endState === 'completed') recordServed(outcome.usage);
    context.metrics.streams.inc({ end_state: outcome.endState });
    if (outcome.endState === 'completed' || outcome.endState === 'client-aborted') {
      modelCall.succeed({
        ...(outcome.upstreamModel === undefined ? {} : { responseModel: outcome.upstreamModel }),
        ...(outcome.finishReasons === undefined ? {} : { finishReasons: outcome.finishReasons }),
        ...(outcome.usage === undefined
          ? {}
          : {
              inputTokens: outcome.usage.prompt_tokens,
              outputTokens: outcome.usage.completion_tokens,
            }),
        accountId: result.accountId,
        attempts: result.attempts.length,
      });
    } else {
      modelCall.fail(outcome.error);
    }
    if (outcome.endState === 'truncated' || outcome.endState === 'upstream-error') {
      context.logger.warn('Stream ended early; sent error and response.failed to the client', {
        requestId: scope.requestId,
        endState: outcome.endState,
        chunkCount: outcome.chunkCount,
        error: outcome.error,
      });
    }
  } finally {
    context.streamsInFlight -= 1;
    context.metrics.streamsInFlight.dec();
  }
}
