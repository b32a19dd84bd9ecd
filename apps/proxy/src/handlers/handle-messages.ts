import { randomUUID } from 'node:crypto';
import {
  type AnthropicMessage,
  type AnthropicMessagesRequest,
  convertAnthropicRequestToQwen,
  convertChatCompletionToAnthropicMessage,
  convertUsage,
  createAnthropicPassthroughState,
  createAnthropicStreamTransformState,
  encodeAnthropicSseErrorEvent,
  safeParseAnthropicMessagesRequest,
  synthesizeAnthropicMessageStream,
  type Usage,
} from '@qwen-relay/openai-adapter';
import type { UpstreamResult } from '@qwen-relay/qwen-client';
import { readJsonBodyAndText } from '../http/read-request-body';
import { deriveRequestSessionKey } from '../scheduling/identify-request';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { finishWholeCall } from '../tracing/finish-whole-call';
import type { ModelCallTrace } from '../tracing/trace-model-call';
import { isNativeModelRejection } from './is-native-model-rejection';
import { relayStreamedAnswer } from './relay-streamed-answer';
import { runModelCall } from './run-model-call';
import { sendWholeAnswer } from './send-whole-answer';

const BILLING_HEADER_PREFIX = 'x-anthropic-billing-header:';

/**
 * POST /v1/messages (Anthropic Messages, JSON or SSE): validated like the official API, sent on
 * the same request path as chat (account, valid token, refresh-and-retry-once, retries before
 * the first byte, timeouts, abort). Accounts whose host serves Anthropic natively get the
 * request as it is (passthrough); others (OAuth), and models the native endpoint refuses, get it
 * translated to chat completions and back. Each real prompt count teaches `count_tokens`. Like
 * chat, the call is traced, keeps its conversation on one account (session key from
 * `metadata.user_id`, else `system` and the first user message) and is counted once served.
 */
export async function handleMessages({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}): Promise<void> {
  const {
    result,
    modelCall,
    recordServed,
    clientModel,
    stream,
    stopSequences,
    estimatedInputTokens,
    messageId,
  } = await startMessagesCall({ context, scope });
  // the official SDKs expose this header as the response's request id
  const headers = { 'request-id': scope.requestId };

  if (result.protocol === 'anthropic') {
    await answerNatively({
      context,
      scope,
      result,
      clientModel,
      headers,
      stream,
      modelCall,
      recordServed,
    });
    return;
  }

  if (result.kind === 'json') {
    finishWholeCall({ modelCall, result });
    const message = convertChatCompletionToAnthropicMessage({
      body: result.body,
      clientModel,
      messageId,
      stopSequences,
      estimatedInputTokens,
    });
    recordServed(convertUsage((result.body as { usage?: unknown } | null)?.usage));
    sendWholeAnswer({
      context,
      scope,
      stream,
      headers,
      body: message,
      toStream: () => synthesizeAnthropicMessageStream(message),
    });
    return;
  }

  await relayStreamedAnswer({
    context,
    scope,
    result,
    initialState: createAnthropicStreamTransformState({
      clientModel,
      messageId,
      estimatedInputTokens,
      stopSequences,
    }),
    modelCall,
    recordServed,
    headers,
    encodeErrorEvent: encodeAnthropicSseErrorEvent,
  });
}

/**
 * The request's part: read, validate and send it upstream. Its own function, so the request
 * (the whole conversation, often hundreds of kilobytes) is garbage once the answer starts, not
 * kept until a stream of minutes ends. A host that serves Messages natively gets the client's
 * own text (no serialising it again); the chat translation and the prompt estimate are made
 * only for an account that needs them, or for a calibration sample.
 */
async function startMessagesCall({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}) {
  const { request } = scope;
  const { body, text, bytes } = await readJsonBodyAndText({
    request,
    limitInBytes: context.config.bodyLimitInBytes,
  });
  const parsed = safeParseAnthropicMessagesRequest(body);
  if (!parsed.success) throw parsed.error;
  const clientRequest = parsed.data;
  const clientModel = clientRequest.model;
  const stream = clientRequest.stream === true;
  let translated: ReturnType<typeof convertAnthropicRequestToQwen> | undefined;
  const translate = () => {
    translated ??= convertAnthropicRequestToQwen({
      request: clientRequest,
      // each account renames models itself (portal aliases for OAuth, none for plan hosts)
      modelAliases: {},
      portalQuirks: context.config.portalQuirks,
    });
    return translated;
  };
  const nativePayload = removeBillingHeader(clientRequest);
  const sourceText = { payload: clientRequest as unknown as Record<string, unknown>, text, bytes };
  const sessionKey = deriveRequestSessionKey({
    headers: request.headers,
    user: clientRequest.metadata?.user_id,
    systemText: nativePayload.system,
    messages: clientRequest.messages,
  });

  const running = await runModelCall({
    context,
    scope,
    sessionKey,
    clientModel,
    // max_tokens, temperature and top_p are named as in chat
    payload: nativePayload,
    stream,
    call: (preferAccountId) => {
      const call = (translateOnly: boolean) =>
        context.client.anthropicMessages({
          payload: nativePayload,
          chatPayload: () => translate().payload,
          translateOnly,
          sourceText,
          signal: scope.signal,
          requestId: scope.requestId,
          ...(preferAccountId === undefined ? {} : { preferAccountId }),
        });
      // a native endpoint that refuses the model gets one more try, translated to chat
      return call(false).catch((error: unknown) => {
        if (!isNativeModelRejection(error)) throw error;
        context.logger.debug('Native Anthropic endpoint refused the model; translating to chat', {
          requestId: scope.requestId,
          model: clientModel,
        });
        return call(true);
      });
    },
  });
  // a translated answer needs the estimate (message_start's input tokens); one passed through
  // makes it only when the calibration wants a sample
  const estimatedTokens =
    running.result.protocol === 'chat' || context.tokenCalibration.wantsSample(clientModel)
      ? translate().estimatedInputTokens
      : undefined;
  return {
    result: running.result,
    modelCall: running.modelCall,
    recordServed:
      estimatedTokens === undefined
        ? running.recordServed
        : bindTokenCalibration({
            context,
            clientModel,
            estimatedTokens,
            recordServed: running.recordServed,
          }),
    clientModel,
    stream,
    stopSequences: clientRequest.stop_sequences ?? [],
    // learnt per client model name, the name count_tokens asks under (each account renames it
    // its own way upstream)
    estimatedInputTokens:
      estimatedTokens === undefined
        ? 0
        : context.tokenCalibration.apply({ model: clientModel, estimatedTokens }),
    messageId: `msg_${randomUUID().replaceAll('-', '')}`,
  };
}

/** A served request teaches count_tokens its real prompt size and counts for the scheduling. */
function bindTokenCalibration({
  context,
  clientModel,
  estimatedTokens,
  recordServed,
}: {
  context: ProxyContext;
  clientModel: string;
  estimatedTokens: number;
  recordServed: (usage: Usage | undefined) => void;
}): (usage: Usage | undefined) => void {
  return (usage) => {
    if (usage !== undefined) {
      context.tokenCalibration.observe({
        model: clientModel,
        estimatedTokens,
        actualTokens: usage.prompt_tokens,
      });
    }
    recordServed(usage);
  };
}

/**
 * Passthrough: the host answered in Anthropic's own protocol. JSON goes back as it came (with the
 * client's model name); a stream goes back event by event, and a stream that fails or ends
 * before `message_stop` gets a final `error` event like a translated one.
 */
async function answerNatively({
  context,
  scope,
  result,
  clientModel,
  headers,
  stream,
  modelCall,
  recordServed,
}: {
  context: ProxyContext;
  scope: RequestScope;
  result: UpstreamResult;
  clientModel: string;
  headers: Record<string, string>;
  stream: boolean;
  modelCall: ModelCallTrace;
  recordServed: (usage: Usage | undefined) => void;
}): Promise<void> {
  if (result.kind === 'json') {
    finishWholeCall({ modelCall, result });
    const message = { ...(result.body as AnthropicMessage), model: clientModel };
    recordServed(convertAnthropicUsageToChat(message.usage));
    sendWholeAnswer({
      context,
      scope,
      stream,
      headers,
      body: message,
      toStream: () => synthesizeAnthropicMessageStream(message),
    });
    return;
  }
  await relayStreamedAnswer({
    context,
    scope,
    result,
    initialState: createAnthropicPassthroughState(),
    modelCall,
    recordServed,
    headers,
    encodeErrorEvent: encodeAnthropicSseErrorEvent,
  });
}

// Anthropic usage (uncached + cached + written input) in the chat shape calibration and
// scheduling read
function convertAnthropicUsageToChat(usage: unknown): Usage | undefined {
  if (typeof usage !== 'object' || usage === null) return undefined;
  const fields = usage as Record<string, unknown>;
  const read = (field: string) =>
    typeof fields[field] === 'number' ? (fields[field] as number) : 0;
  const cachedTokens = read('cache_read_input_tokens');
  const promptTokens = read('input_tokens') + cachedTokens + read('cache_creation_input_tokens');
  const completionTokens = read('output_tokens');
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens },
  };
}

// Claude Code's per-request billing line changes every time: forwarded, it would defeat the
// host's prefix cache (and it means nothing to Qwen)
function removeBillingHeader(request: AnthropicMessagesRequest): Record<string, unknown> {
  const { system } = request;
  if (!Array.isArray(system)) return request;
  const kept = system.filter((block) => !block.text.trimStart().startsWith(BILLING_HEADER_PREFIX));
  return kept.length === system.length ? request : { ...request, system: kept };
}
