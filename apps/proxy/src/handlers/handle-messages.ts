import { randomUUID } from 'node:crypto';
import {
  type AnthropicMessage,
  type AnthropicMessagesRequest,
  convertAnthropicRequestToQwen,
  convertChatCompletionToAnthropicMessage,
  convertUsage,
  createAnthropicPassthroughTransform,
  createAnthropicStreamTransform,
  encodeAnthropicSseErrorEvent,
  safeParseAnthropicMessagesRequest,
  synthesizeAnthropicMessageStream,
} from '@qwen-relay/openai-adapter';
import type { UpstreamResult } from '@qwen-relay/qwen-client';
import { readJsonBody } from '../http/read-request-body';
import { sendJson } from '../http/send-json';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { SSE_RESPONSE_HEADERS } from '../streaming/pipe-chat-stream';
import { relayUpstreamStream } from '../streaming/relay-upstream-stream';
import { isNativeModelRejection } from './is-native-model-rejection';

const BILLING_HEADER_PREFIX = 'x-anthropic-billing-header:';

/**
 * POST /v1/messages (Anthropic Messages, JSON or SSE): validated like the official API, sent on
 * the same request path as chat (account, valid token, refresh-and-retry-once, retries before
 * the first byte, timeouts, abort). Accounts whose host serves Anthropic natively get the
 * request as it is (passthrough); others (OAuth), and models the native endpoint refuses, get it
 * translated to chat completions and back. Each real prompt count teaches `count_tokens`.
 */
export async function handleMessages({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}): Promise<void> {
  const { request, response } = scope;
  const body = await readJsonBody({ request, limitInBytes: context.config.bodyLimitInBytes });
  const parsed = safeParseAnthropicMessagesRequest(body);
  if (!parsed.success) throw parsed.error;
  const translated = convertAnthropicRequestToQwen({
    request: parsed.data,
    // each account renames models itself (portal aliases for OAuth, none for plan hosts)
    modelAliases: {},
    portalQuirks: context.config.portalQuirks,
  });
  const { payload, clientModel, upstreamModel, stream, stopSequences } = translated;
  const estimatedInputTokens = context.tokenCalibration.apply({
    model: upstreamModel,
    estimatedTokens: translated.estimatedInputTokens,
  });
  const learn = (usage: unknown) => {
    const promptTokens = convertUsage(usage)?.prompt_tokens;
    if (promptTokens === undefined) return;
    context.tokenCalibration.observe({
      model: upstreamModel,
      estimatedTokens: translated.estimatedInputTokens,
      actualTokens: promptTokens,
    });
  };
  const messageId = `msg_${randomUUID().replaceAll('-', '')}`;
  // the official SDKs expose this header as the response's request id
  const headers = { 'request-id': scope.requestId };

  const call = (translateOnly: boolean) =>
    context.client.anthropicMessages({
      payload: removeBillingHeader(parsed.data),
      chatPayload: payload,
      translateOnly,
      signal: scope.signal,
      requestId: scope.requestId,
    });
  // a native endpoint that refuses the model gets one more try, translated to chat
  const result = await call(false).catch((error: unknown) => {
    if (!isNativeModelRejection(error)) throw error;
    context.logger.debug('Native Anthropic endpoint refused the model; translating to chat', {
      requestId: scope.requestId,
      model: clientModel,
    });
    return call(true);
  });

  if (result.protocol === 'anthropic') {
    await answerNatively({ context, scope, result, clientModel, headers, stream, learn });
    return;
  }

  if (result.kind === 'json') {
    const message = convertChatCompletionToAnthropicMessage({
      body: result.body,
      clientModel,
      messageId,
      stopSequences,
      estimatedInputTokens,
    });
    learn((result.body as { usage?: unknown } | null)?.usage);
    if (!stream) {
      sendJson({ response, status: 200, body: message, headers });
      return;
    }
    // streaming fallback (or an upstream that answered JSON): re-emit the message as SSE
    response.writeHead(200, { ...headers, ...SSE_RESPONSE_HEADERS });
    response.end(synthesizeAnthropicMessageStream(message));
    scope.streamEndState = 'completed';
    context.metrics.streams.inc({ end_state: 'completed' });
    return;
  }

  const outcome = await relayUpstreamStream({
    context,
    scope,
    body: result.body,
    ended: result.ended,
    initialState: createAnthropicStreamTransform({
      clientModel,
      messageId,
      estimatedInputTokens,
      stopSequences,
    }).getState(),
    headers,
    encodeErrorEvent: encodeAnthropicSseErrorEvent,
  });
  if (outcome.usage) learn(outcome.usage);
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
  learn,
}: {
  context: ProxyContext;
  scope: RequestScope;
  result: UpstreamResult;
  clientModel: string;
  headers: Record<string, string>;
  stream: boolean;
  learn: (usage: unknown) => void;
}): Promise<void> {
  const { response } = scope;
  if (result.kind === 'json') {
    const message = { ...(result.body as AnthropicMessage), model: clientModel };
    learn(convertAnthropicUsageToChat(message.usage));
    if (!stream) {
      sendJson({ response, status: 200, body: message, headers });
      return;
    }
    response.writeHead(200, { ...headers, ...SSE_RESPONSE_HEADERS });
    response.end(synthesizeAnthropicMessageStream(message));
    scope.streamEndState = 'completed';
    context.metrics.streams.inc({ end_state: 'completed' });
    return;
  }
  const outcome = await relayUpstreamStream({
    context,
    scope,
    body: result.body,
    ended: result.ended,
    initialState: createAnthropicPassthroughTransform().getState(),
    headers,
    encodeErrorEvent: encodeAnthropicSseErrorEvent,
  });
  if (outcome.usage) learn(outcome.usage);
}

// Anthropic usage (uncached + cached + written input) as the chat usage calibration reads
function convertAnthropicUsageToChat(usage: unknown): unknown {
  if (typeof usage !== 'object' || usage === null) return undefined;
  const fields = usage as Record<string, unknown>;
  const read = (field: string) =>
    typeof fields[field] === 'number' ? (fields[field] as number) : 0;
  return {
    prompt_tokens:
      read('input_tokens') + read('cache_read_input_tokens') + read('cache_creation_input_tokens'),
    completion_tokens: read('output_tokens'),
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
