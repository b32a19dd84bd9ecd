import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createReplyScript } from '../chat/create-reply-script';
import { type ExchangeState, writeChatStream } from '../chat/write-chat-stream';
import type { ReadBody } from '../http/read-request-body';
import { sendJson } from '../http/send-response';
import type { FakeContext } from '../server/fake-context';
import { buildAnthropicMessage, buildAnthropicStreamEvents } from './build-anthropic-reply';
import { createAnthropicErrorBody, planAnthropicReply } from './plan-anthropic-reply';

function createId(prefix: string): string {
  return `${prefix}_${randomBytes(12)
    .toString('base64url')
    .replace(/[^a-zA-Z0-9]/g, 'x')}`;
}

/**
 * POST `…/apps/anthropic/v1/messages` once auth passed (Alibaba's native Anthropic endpoint):
 * JSON or SSE in Anthropic's shapes, text / tool_use / thinking (with a signature), stream faults
 * of endpoint `anthropic` (a mid-stream error becomes `event: error`, error-finish an
 * `overloaded_error` event).
 */
export async function handleAnthropicMessages({
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
  const result =
    body.kind === 'json'
      ? planAnthropicReply(body.parsed)
      : { success: false as const, message: 'The request body is not valid JSON' };
  if (!result.success) {
    sendJson({
      response,
      status: 400,
      value: createAnthropicErrorBody({ status: 400, message: result.message }),
    });
    return;
  }
  const { plan } = result;
  const { settings } = context;
  const script = createReplyScript({
    plan,
    chunkCount: settings.stream.chunkCount,
    chunkSize: settings.stream.chunkSize,
    reasoningChunkCount: settings.stream.reasoningChunkCount ?? settings.stream.chunkCount,
    promptBytes: body.raw.length,
    createToolCallId: () => createId('toolu'),
  });
  const id = createId('msg');
  if (!plan.stream) {
    sendJson({
      response,
      status: 200,
      value: buildAnthropicMessage({ script, id, model: plan.model }),
    });
    return;
  }
  const fault = context.faultQueue.take({ endpoint: 'anthropic', phase: 'stream', stream: true });
  await writeChatStream({
    response,
    events: buildAnthropicStreamEvents({ script, id, model: plan.model }),
    chunkDelayInMs: settings.stream.chunkDelayInMs,
    fault,
    exchange,
    sleep: context.sleep,
    finalEvent: '',
    encodeErrorFinish: (message) =>
      `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message } })}\n\n`,
    encodeMidStreamError: (error) => {
      const message = typeof error.message === 'string' ? error.message : 'Overloaded';
      return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message } })}\n\n`;
    },
  });
}
