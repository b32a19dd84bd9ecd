import { isRecord } from '@qwen-relay/contracts';
import {
  convertChatCompletionToResponse,
  convertQwenChatCompletionToOpenAI,
  convertResponsesRequestToQwen,
  convertResponseUsageToUsage,
  createResponsesPassthroughState,
  createResponsesRequestParsers,
  createResponsesStreamTransformState,
  type ResponsesRequest,
  type StreamTransformState,
  synthesizeResponsesStream,
  type Usage,
} from '@qwen-relay/openai-adapter';
import type { UpstreamStreamResult } from '@qwen-relay/qwen-client';
import { readJsonBodyAndText } from '../http/read-request-body';
import { sendJson } from '../http/send-json';
import {
  createResponseKeeper,
  echoStoredState,
  type ResponseKeeper,
} from '../responses/create-response-keeper';
import { expandStoredConversation } from '../responses/expand-stored-conversation';
import { deriveRequestSessionKey } from '../scheduling/identify-request';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { finishWholeCall } from '../tracing/finish-whole-call';
import type { ModelCallTrace } from '../tracing/trace-model-call';
import { relayStreamedAnswer } from './relay-streamed-answer';
import { runModelCall } from './run-model-call';
import { sendWholeAnswer } from './send-whole-answer';

/** Names the offered hosted tools a response was served without. */
export const IGNORED_TOOLS_HEADER = 'X-Qwen-Relay-Ignored-Tools';

// with a response store, `store: true` and `previous_response_id` are served; without, refused
const storingParsers = createResponsesRequestParsers({ storesResponses: true });
const plainParsers = createResponsesRequestParsers({ storesResponses: false });

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
  const { response } = scope;
  const { result, modelCall, recordServed, keeper, stream, responseContext, previousResponseId } =
    await startResponsesCall({ context, scope });
  const { clientModel } = responseContext;

  if (result.protocol === 'responses') {
    // a native Responses answer: JSON as it came, or its event stream byte for byte (watched, so
    // a stream that breaks still ends with `error` + `response.failed`)
    if (result.kind === 'json') {
      const usage = convertResponseUsageToUsage(readField(result.body, 'usage'));
      finishWholeCall({ modelCall, result });
      recordServed(usage);
      const native = isRecord(result.body) ? result.body : undefined;
      const body =
        native === undefined
          ? result.body
          : keeper !== undefined
            ? await keeper.keep(native)
            : previousResponseId !== undefined
              ? echoStoredState({
                  response: native,
                  request: { previous_response_id: previousResponseId },
                  stored: false,
                })
              : native;
      sendJson({ response, status: 200, body });
      return;
    }
    // the stream's bytes stay the host's own (its echo says `store: false`); what is kept and
    // what GET /v1/responses/{id} returns say `store: true`
    await relayResponsesStream({
      context,
      scope,
      result,
      modelCall,
      recordServed,
      keeper,
      initialState: createResponsesPassthroughState({ keepFinalResponse: keeper !== undefined }),
    });
    return;
  }

  if (result.kind === 'json') {
    finishWholeCall({ modelCall, result });
    const completion = convertQwenChatCompletionToOpenAI({ body: result.body, clientModel });
    recordServed(completion.usage);
    const responseObject = convertChatCompletionToResponse({
      completion,
      context: responseContext,
    });
    const kept = keeper === undefined ? undefined : await keeper.keep({ ...responseObject });
    sendWholeAnswer({
      context,
      scope,
      stream,
      body: kept ?? responseObject,
      toStream: () => synthesizeResponsesStream({ completion, context: responseContext }),
    });
    return;
  }

  await relayResponsesStream({
    context,
    scope,
    result,
    modelCall,
    recordServed,
    keeper,
    initialState: createResponsesStreamTransformState({
      context: responseContext,
      keepFinalResponse: keeper !== undefined,
    }),
  });
}

/**
 * The request's part: read, validate, expand, map and send it upstream. Its own function, so the
 * request (the whole conversation, often hundreds of kilobytes) is garbage once the answer
 * starts, not kept until a stream of minutes ends (the keeper of a `store: true` request keeps
 * what it stores).
 */
async function startResponsesCall({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}) {
  const { request, response } = scope;
  const { body, text, bytes } = await readJsonBodyAndText({
    request,
    limitInBytes: context.config.bodyLimitInBytes,
  });
  const { responseStore } = context;
  const parsed = (responseStore === undefined ? plainParsers : storingParsers).safeParse(body);
  if (!parsed.success) throw parsed.error;
  // `previous_response_id`: the kept conversation goes in front of this turn's input
  const clientRequest = await expandStoredConversation({ request: parsed.data, responseStore });
  // `store: true`: the finished response is kept before its client sees the end of it
  const keeper = createResponseKeeper({
    responseStore,
    request: clientRequest,
    logger: context.logger,
    requestId: scope.requestId,
  });
  const {
    payload,
    stream,
    context: responseContext,
    ignoredTools,
  } = convertResponsesRequestToQwen({
    request: clientRequest,
    // each account renames models itself (portal aliases for OAuth, none for plan hosts)
    modelAliases: {},
    portalQuirks: context.config.portalQuirks,
  });
  // an offered web search has no Qwen counterpart: served without it, and said so
  if (ignoredTools.length > 0) response.setHeader(IGNORED_TOOLS_HEADER, ignoredTools.join(', '));

  // one conversation stays on one account (prompt caching): `x-session-id`, else `user`, else
  // `instructions` + the first user input, which every turn of a Codex session repeats
  const sessionKey = deriveRequestSessionKey({
    headers: request.headers,
    user: clientRequest.user,
    systemText: clientRequest.instructions,
    messages:
      typeof clientRequest.input === 'string'
        ? [{ role: 'user', content: clientRequest.input }]
        : clientRequest.input,
  });
  const nativePayload = createNativePayload({ request: clientRequest, ignoredTools });
  // what the native body shares with the client's goes upstream as the client wrote it (a
  // request expanded with a stored conversation is another object: serialised)
  const sourceText = { payload: body as Record<string, unknown>, text, bytes };
  const running = await runModelCall({
    context,
    scope,
    sessionKey,
    clientModel: responseContext.clientModel,
    payload,
    stream,
    call: (preferAccountId) =>
      context.client.responses({
        payload,
        nativePayload,
        sourceText,
        signal: scope.signal,
        requestId: scope.requestId,
        ...(preferAccountId === undefined ? {} : { preferAccountId }),
      }),
  });
  const previousResponseId =
    typeof clientRequest.previous_response_id === 'string'
      ? clientRequest.previous_response_id
      : undefined;
  // named, not spread (see startChatCall)
  const { result, modelCall, recordServed } = running;
  return { result, modelCall, recordServed, keeper, stream, responseContext, previousResponseId };
}

/**
 * The client's own body for the native endpoint: the offered web search left out, as in
 * translation (the header says so either way), nothing stored upstream (`store: false`), no
 * previous id (a kept conversation is already expanded into `input`: the host never saw our
 * ids). The body itself when it needs none of that (Codex sends `store: false`): it then goes
 * upstream as the client's text.
 */
function createNativePayload({
  request,
  ignoredTools,
}: {
  request: ResponsesRequest;
  ignoredTools: readonly string[];
}): Record<string, unknown> {
  const filtersTools = ignoredTools.length > 0 && Array.isArray(request.tools);
  if (!filtersTools && request.store === false && !Object.hasOwn(request, 'previous_response_id')) {
    return request as Record<string, unknown>;
  }
  // a fresh object: `store` is set on it, not added to a copy made by a spread (Node 20's slow
  // path, bench/micro/object-spread.mjs); the rest keeps the client's order
  const { previous_response_id: _previousResponseId, ...native }: Record<string, unknown> = request;
  native.store = false;
  if (filtersTools) {
    native.tools = (request.tools as unknown[]).filter(
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

// one Responses event stream to the client (translated or passed through), a `store: true`
// one kept before its client sees the end
function relayResponsesStream({
  context,
  scope,
  result,
  modelCall,
  recordServed,
  keeper,
  initialState,
}: {
  context: ProxyContext;
  scope: RequestScope;
  result: UpstreamStreamResult;
  modelCall: ModelCallTrace;
  recordServed: (usage: Usage | undefined) => void;
  keeper: ResponseKeeper | undefined;
  initialState: StreamTransformState;
}): Promise<void> {
  return relayStreamedAnswer({
    context,
    scope,
    result,
    initialState,
    modelCall,
    recordServed,
    earlyEndMessage: 'Stream ended early; sent error and response.failed to the client',
    beforeEnd:
      keeper === undefined
        ? undefined
        : async ({ finalResponse }) => {
            if (finalResponse !== undefined) await keeper.keep(finalResponse);
          },
  });
}
