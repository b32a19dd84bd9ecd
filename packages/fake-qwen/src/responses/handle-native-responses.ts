import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createReplyScript } from '../chat/create-reply-script';
import { parseChatPlan } from '../chat/parse-chat-plan';
import type { ExchangeState } from '../chat/write-chat-stream';
import { createInvalidParameterBody } from '../errors/upstream-error-bodies';
import type { ReadBody } from '../http/read-request-body';
import { sendJson } from '../http/send-response';
import type { FakeContext } from '../server/fake-context';

/**
 * Models the native Responses endpoint of standard hosts serves
 * (docs/plans-and-protocols.md §3.1: qwen3.5-plus, qwen3-max and its snapshots); any other
 * model gets the 400 it answers.
 */
export const NATIVE_RESPONSES_MODEL_PATTERN = /^(qwen3\.5-plus|qwen3-max)(-|$)/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The Responses `input` as the chat messages the reply is planned from: a string is one user
 * message; a `function_call_output` item is a tool message (so a turn that brings tool results
 * is answered with text, as a model does); other items are user text.
 */
function convertNativeInputToMessages(input: unknown): Record<string, unknown>[] {
  if (!Array.isArray(input)) return [{ role: 'user', content: String(input ?? '') }];
  return input.map((item) =>
    isRecord(item) && item.type === 'function_call_output'
      ? { role: 'tool', tool_call_id: item.call_id, content: JSON.stringify(item.output ?? '') }
      : { role: 'user', content: JSON.stringify(item) },
  );
}

/** `text.format` (json_schema with `name` / `schema` at the top, or json_object) → chat's `response_format`. */
function convertTextFormatToResponseFormat(text: unknown): Record<string, unknown> {
  const format = isRecord(text) && isRecord(text.format) ? text.format : undefined;
  if (format?.type === 'json_object') return { response_format: { type: 'json_object' } };
  if (format?.type !== 'json_schema') return {};
  return {
    response_format: {
      type: 'json_schema',
      json_schema: { name: format.name, schema: format.schema, strict: format.strict },
    },
  };
}

/**
 * POST …/compatible-mode/v1/responses on a standard host once auth passed: the same reply as the
 * chat endpoint (text, reasoning when `reasoning.effort` asks, a call of the first tool), as a
 * Responses object or event stream with `sequence_number`s and no `[DONE]`. Honours the
 * `mid-stream-drop` / `mid-stream-error` faults of endpoint `responses`.
 */
export async function handleNativeResponses({
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
  const request = body.kind === 'json' && isRecord(body.parsed) ? body.parsed : undefined;
  if (!request) {
    sendJson({
      response,
      status: 400,
      value: createInvalidParameterBody('The request body is not valid JSON'),
    });
    return;
  }
  const model = typeof request.model === 'string' ? request.model : '';
  if (!NATIVE_RESPONSES_MODEL_PATTERN.test(model)) {
    sendJson({
      response,
      status: 400,
      value: createInvalidParameterBody(
        `The model ${model} is not supported by the Responses API.`,
      ),
    });
    return;
  }
  // the fake keeps no responses (qwen-relay sends `store: false`): any id it is asked to continue
  // is unknown to it, as it would be to a real host
  if (typeof request.previous_response_id === 'string') {
    sendJson({
      response,
      status: 400,
      value: createInvalidParameterBody(
        `Previous response with id '${request.previous_response_id}' not found.`,
      ),
    });
    return;
  }
  const chatBody = {
    model,
    messages: convertNativeInputToMessages(request.input),
    stream: request.stream === true,
    enable_thinking:
      isRecord(request.reasoning) &&
      request.reasoning.effort !== undefined &&
      request.reasoning.effort !== 'none',
    ...(typeof request.tool_choice === 'string' ? { tool_choice: request.tool_choice } : {}),
    // `text.format` is the Responses spelling of `response_format` (JSON schema flattened)
    ...convertTextFormatToResponseFormat(request.text),
    ...(Array.isArray(request.tools)
      ? {
          tools: request.tools
            .filter((tool) => isRecord(tool) && tool.type === 'function')
            .map((tool) => ({
              type: 'function',
              function: { name: tool.name, parameters: tool.parameters },
            })),
        }
      : {}),
  };
  const planResult = parseChatPlan({ body: chatBody, settings: context.settings });
  if (!planResult.success) {
    sendJson({ response, status: 400, value: createInvalidParameterBody(planResult.message) });
    return;
  }
  const script = createReplyScript({
    plan: planResult.plan,
    chunkCount: context.settings.stream.chunkCount,
    chunkSize: context.settings.stream.chunkSize,
    reasoningChunkCount:
      context.settings.stream.reasoningChunkCount ?? context.settings.stream.chunkCount,
    promptBytes: body.raw.length,
    createToolCallId: () => `call_${randomBytes(11).toString('hex')}`,
  });
  const id = `resp_native_${randomBytes(8).toString('hex')}`;
  const base = {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    model,
    output: [] as unknown[],
  };
  const output: Record<string, unknown>[] = [];
  const events: Array<{ type: string; fields: Record<string, unknown> }> = [];
  const push = (type: string, fields: Record<string, unknown>) => events.push({ type, fields });
  push('response.created', { response: { ...base, status: 'in_progress' } });
  push('response.in_progress', { response: { ...base, status: 'in_progress' } });
  if (script.reasoningText !== '') {
    const item = {
      id: `rs_${id}`,
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: script.reasoningText }],
    };
    const summaryIds = { item_id: item.id, output_index: output.length, summary_index: 0 };
    const summaryPart = { type: 'summary_text', text: script.reasoningText };
    push('response.output_item.added', {
      output_index: output.length,
      item: { ...item, summary: [] },
    });
    push('response.reasoning_summary_part.added', {
      ...summaryIds,
      part: { ...summaryPart, text: '' },
    });
    for (const piece of script.encodedReasoningPieces) {
      push('response.reasoning_summary_text.delta', { ...summaryIds, delta: JSON.parse(piece) });
    }
    push('response.reasoning_summary_text.done', { ...summaryIds, text: script.reasoningText });
    push('response.reasoning_summary_part.done', { ...summaryIds, part: summaryPart });
    push('response.output_item.done', { output_index: output.length, item });
    output.push(item);
  }
  if (script.contentText !== '') {
    const part = { type: 'output_text', text: script.contentText, annotations: [] };
    const item = {
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [part],
    };
    const ids = { item_id: item.id, output_index: output.length, content_index: 0 };
    push('response.output_item.added', {
      output_index: output.length,
      item: { ...item, status: 'in_progress', content: [] },
    });
    push('response.content_part.added', { ...ids, part: { ...part, text: '' } });
    for (const piece of script.encodedContentPieces)
      push('response.output_text.delta', { ...ids, delta: JSON.parse(piece) });
    push('response.output_text.done', { ...ids, text: script.contentText });
    push('response.content_part.done', { ...ids, part });
    push('response.output_item.done', { output_index: output.length, item });
    output.push(item);
  }
  for (const call of script.toolCalls) {
    const item = {
      id: `fc_${call.id}`,
      type: 'function_call',
      status: 'completed',
      call_id: call.id,
      name: call.name,
      arguments: call.argumentsJson,
    };
    push('response.output_item.added', {
      output_index: output.length,
      item: { ...item, status: 'in_progress', arguments: '' },
    });
    push('response.function_call_arguments.delta', {
      item_id: item.id,
      output_index: output.length,
      delta: call.argumentsJson,
    });
    push('response.function_call_arguments.done', {
      item_id: item.id,
      output_index: output.length,
      arguments: call.argumentsJson,
    });
    push('response.output_item.done', { output_index: output.length, item });
    output.push(item);
  }
  const usage = script.usage as {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
  };
  const final = {
    ...base,
    status: 'completed',
    output,
    usage: {
      input_tokens: usage.prompt_tokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: usage.completion_tokens,
      output_tokens_details: { reasoning_tokens: script.encodedReasoningPieces.length },
      total_tokens: usage.total_tokens,
    },
  };
  push('response.completed', { response: final });

  if (request.stream !== true) {
    sendJson({ response, status: 200, value: final });
    return;
  }
  const fault = context.faultQueue.take({ endpoint: 'responses', phase: 'stream', stream: true });
  const faultAt =
    fault && 'afterChunks' in fault ? Math.min(Math.max(0, fault.afterChunks), events.length) : -1;
  exchange.streaming = true;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  response.flushHeaders();
  for (let index = 0; index < events.length; index += 1) {
    if (index === faultAt && fault?.type === 'mid-stream-drop') {
      exchange.droppedByServer = true;
      const socket = response.socket;
      socket?.once('finish', () => socket.destroy());
      socket?.end();
      return;
    }
    if (index === faultAt && fault?.type === 'mid-stream-error') {
      // the upstream's in-band failure: an `error` event, then the stream ends
      const error = {
        type: 'error',
        code: 'internal_error',
        message: 'An internal error has occured, please try again later.',
        param: null,
        ...(fault.error ?? {}),
        sequence_number: index,
      };
      response.end(`event: error\ndata: ${JSON.stringify(error)}\n\n`);
      return;
    }
    if (response.destroyed) return;
    const event = events[index];
    if (!event) break;
    const payload = { type: event.type, ...event.fields, sequence_number: index };
    if (!response.write(`event: ${event.type}\ndata: ${JSON.stringify(payload)}\n\n`)) {
      await new Promise((resolve) => response.once('drain', resolve));
    }
  }
  response.end();
}
