import {
  convertChatCompletionToResponse,
  convertQwenChatCompletionToOpenAI,
  convertResponsesRequestToQwen,
  convertResponseUsageToUsage,
  createResponsesPassthroughTransform,
  createResponsesStreamTransform,
  type ResponsesRequest,
  type StreamTransformState,
  safeParseResponsesRequest,
  synthesizeResponsesStream,
  type Usage,
} from '@qwen-relay/openai-adapter';
import type { UpstreamStreamResult } from '@qwen-relay/qwen-client';
import { readJsonBody } from '../http/read-request-body';
import { sendJson } from '../http/send-json';
import { convertUsageToServedUsage } from '../scheduling/convert-usage-to-served-usage';
import { deriveRequestSessionKey, identifyClient } from '../scheduling/identify-request';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { pipeChatStream, SSE_RESPONSE_HEADERS } from '../streaming/pipe-chat-stream';
import { readGenAiRequestFacts, readGenAiResponseFacts } from '../tracing/read-gen-ai-facts';
import { type ModelCallTrace, traceModelCall } from '../tracing/trace-model-call';

/** Names the offered hosted tools a response was served without. */
export const IGNORED_TOOLS_HEADER = 'X-Qwen-Relay-Ignored-Tools';

/**
 * POST /v1/responses (OpenAI Responses API): validate, map, and call upstream through the same
 * request path as chat (tokens, refresh-and-retry-once, retries before the first byte, timeouts,
 * abort, session affinity and usage recording, a GenAI span). Accounts whose host serves
 * Responses natively for the model get the request passed through (decided per attempt by the
 * client); every other account is served by translation to chat completions, answered as a
 * response object or as the Responses event stream (docs/design.md §9).
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
      context.client.responses({
        payload,
        nativePayload: createNativePayload({ request: parsed.data, ignoredTools }),
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

  if (result.protocol === 'responses') {
    // a native Responses answer: JSON as it came, or its event stream byte for byte (watched, so
    // a stream that breaks still ends with `error` + `response.failed`)
    if (result.kind === 'json') {
      const usage = convertResponseUsageToUsage(readField(result.body, 'usage'));
      modelCall.succeed({
        ...readGenAiResponseFacts(result.body),
        accountId: result.accountId,
        attempts: result.attempts.length,
      });
      recordServed(usage);
      sendJson({ response, status: 200, body: result.body });
      return;
    }
    await pipeResponsesStream({
      context,
      scope,
      result,
      modelCall,
      recordServed,
      initialState: createResponsesPassthroughTransform().getState(),
    });
    return;
  }

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

  await pipeResponsesStream({
    context,
    scope,
    result,
    modelCall,
    recordServed,
    initialState: createResponsesStreamTransform({ context: responseContext }).getState(),
  });
}

// the client's own body for the native endpoint: the offered web search left out, as in
// translation (the header says so either way), and nothing stored upstream
function createNativePayload({
  request,
  ignoredTools,
}: {
  request: ResponsesRequest;
  ignoredTools: readonly string[];
}): Record<string, unknown> {
  const native: Record<string, unknown> = { ...request, store: false };
  if (ignoredTools.length > 0 && Array.isArray(request.tools)) {
    native.tools = request.tools.filter(
      (tool: unknown) =>
        !ignoredTools.includes(String((tool as { type?: unknown } | null)?.type ?? '')),
    );
  }
  return native;
}

function readField(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

// one Responses event stream to the client (translated or passed through), with the span, the
// usage record and the stream metrics
async function pipeResponsesStream({
  context,
  scope,
  result,
  modelCall,
  recordServed,
  initialState,
}: {
  context: ProxyContext;
  scope: RequestScope;
  result: UpstreamStreamResult;
  modelCall: ModelCallTrace;
  recordServed: (usage: Usage | undefined) => unknown;
  initialState: StreamTransformState;
}): Promise<void> {
  const transformer = context.transformRunner.createStream({ initialState });
  context.streamsInFlight += 1;
  context.metrics.streamsInFlight.inc();
  try {
    const outcome = await pipeChatStream({
      body: result.body,
      ended: result.ended,
      transformer,
      response: scope.response,
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
