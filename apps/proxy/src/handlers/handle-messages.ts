import { randomUUID } from 'node:crypto';
import {
  convertAnthropicRequestToQwen,
  convertChatCompletionToAnthropicMessage,
  convertUsage,
  createAnthropicStreamTransform,
  encodeAnthropicSseErrorEvent,
  safeParseAnthropicMessagesRequest,
  synthesizeAnthropicMessageStream,
} from '@qwen-relay/openai-adapter';
import { readJsonBody } from '../http/read-request-body';
import { sendJson } from '../http/send-json';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { SSE_RESPONSE_HEADERS } from '../streaming/pipe-chat-stream';
import { relayUpstreamStream } from '../streaming/relay-upstream-stream';

/**
 * POST /v1/messages (Anthropic Messages, JSON or SSE) translated to chat completions: validated
 * like the official API, sent on the same request path as chat (account, valid token,
 * refresh-and-retry-once, retries before the first byte, timeouts, abort), answered in
 * Anthropic's shapes. Each real prompt count teaches `count_tokens` about the model.
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

  const result = await context.client.chatCompletion({
    payload,
    signal: scope.signal,
    requestId: scope.requestId,
  });

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
