import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createInvalidParameterBody } from '../errors/upstream-error-bodies';
import type { ReadBody } from '../http/read-request-body';
import { sendErrorBody, sendJson } from '../http/send-response';
import type { FakeContext } from '../server/fake-context';
import { buildChatCompletion } from './build-chat-completion';
import { buildStreamEvents } from './build-stream-events';
import { createChunkFramer, encodeErrorFinishChunk } from './create-chunk-framer';
import { createReplyScript } from './create-reply-script';
import { parseChatPlan } from './parse-chat-plan';
import { type ExchangeState, writeChatStream } from './write-chat-stream';

function createToolCallId(): string {
  return `call_${randomBytes(11).toString('hex')}`;
}

/** POST /v1/chat/completions once auth passed: validates, then answers JSON or SSE. */
export async function handleChat({
  context,
  body,
  response,
  exchange,
}: {
  context: FakeContext;
  body: ReadBody;
  response: ServerResponse;
  exchange: ExchangeState;
}): Promise<void> {
  if (body.kind !== 'json') {
    sendJson({
      response,
      status: 400,
      value: createInvalidParameterBody('The request body is not valid JSON'),
    });
    return;
  }
  const { settings } = context;
  const result = parseChatPlan({ body: body.parsed, settings });
  if (!result.success) {
    const asSse =
      settings.streamErrorFormat === 'sse' &&
      (body.parsed as { stream?: unknown } | null)?.stream === true;
    sendErrorBody({
      response,
      status: 400,
      value: createInvalidParameterBody(result.message),
      asSse,
    });
    return;
  }
  const { plan } = result;
  const script = createReplyScript({
    plan,
    chunkCount: settings.stream.chunkCount,
    chunkSize: settings.stream.chunkSize,
    reasoningChunkCount: settings.stream.reasoningChunkCount ?? settings.stream.chunkCount,
    promptBytes: body.raw.length,
    toolCallsFinishReason: settings.stream.toolCallsFinishReason,
    createToolCallId,
  });
  const id = `chatcmpl-${randomUUID()}`;
  const createdInSeconds = Math.floor(Date.now() / 1000);
  if (!plan.stream) {
    sendJson({
      response,
      status: 200,
      value: buildChatCompletion({ script, id, createdInSeconds, model: plan.model }),
    });
    return;
  }
  const framer = createChunkFramer({ id, createdInSeconds, model: plan.model });
  const events = buildStreamEvents({
    script,
    framer,
    includeUsage: plan.includeUsage,
    combinedFinalChunk: settings.stream.combinedFinalChunk,
    emptyFunctionChunk: settings.stream.emptyFunctionChunk,
  });
  const fault = context.faultQueue.take({ endpoint: 'chat', phase: 'stream', stream: true });
  await writeChatStream({
    response,
    events,
    chunkDelayInMs: settings.stream.chunkDelayInMs,
    fault,
    exchange,
    sleep: context.sleep,
    encodeErrorFinish: (message) => encodeErrorFinishChunk({ framer, message }),
  });
}
