import { InvalidRequestError } from '../errors/invalid-request-error';
import type { ChatCompletionRequest, ChatMessage } from '../types/chat-completion-request';
import { isPlainObject } from '../validation/field-checks';
import { convertResponsesInputToMessages } from './convert-responses-input-to-messages';
import { convertResponsesToolChoice, convertResponsesTools } from './convert-responses-tools';
import type { ResponsesRequest, ResponsesRequestEcho, ResponsesToolNames } from './responses-types';

// Qwen extensions a Responses client may add; passed on as in chat completions
const QWEN_EXTRA_FIELDS = [
  'enable_thinking',
  'thinking_budget',
  'top_k',
  'repetition_penalty',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'stop',
] as const;

/** A Responses request as a chat request, plus what the response path needs. */
export interface ResponsesChatRequest {
  chatRequest: ChatCompletionRequest;
  stream: boolean;
  echo: ResponsesRequestEcho;
  toolNames: ResponsesToolNames;
  /** offered hosted tools left out (web search), for a response header */
  ignoredTools: string[];
}

/**
 * Maps a validated Responses request to an OpenAI chat request (then mapped to Qwen like any
 * chat request): `instructions` → first system message, `input` → messages, tools and
 * `tool_choice`, `max_output_tokens` → `max_completion_tokens`, `reasoning.effort` →
 * `reasoning_effort` (the model family's thinking knob is chosen by the chat mapping),
 * `text.format` → `response_format`, `temperature`, `top_p`, `parallel_tool_calls`, `user`,
 * `metadata`. Responses-only fields (`include`, `prompt_cache_key`, `truncation`, …) are not
 * sent upstream. Throws InvalidRequestError naming the param for anything it cannot serve.
 */
export function convertResponsesRequestToChat(request: ResponsesRequest): ResponsesChatRequest {
  const input = request.input ?? (request.messages as readonly unknown[] | undefined) ?? [];
  const messages: ChatMessage[] = convertResponsesInputToMessages(input);
  const instructions = typeof request.instructions === 'string' ? request.instructions : null;
  if (instructions !== null && instructions !== '') {
    const first = messages[0];
    if (
      (first?.role === 'system' || first?.role === 'developer') &&
      typeof first.content === 'string'
    ) {
      messages[0] = { role: 'system', content: `${instructions}\n\n${first.content}` };
    } else {
      messages.unshift({ role: 'system', content: instructions });
    }
  }
  const stream = request.stream === true;
  const chatRequest: ChatCompletionRequest = { model: request.model, messages, stream };

  const { tools, toolNames, ignoredTools } = convertResponsesTools(request.tools ?? []);
  const toolChoice = convertResponsesToolChoice(request.tool_choice);
  if (tools.length > 0) {
    chatRequest.tools = tools;
    if (toolChoice !== undefined) chatRequest.tool_choice = toolChoice;
    if (typeof request.parallel_tool_calls === 'boolean') {
      chatRequest.parallel_tool_calls = request.parallel_tool_calls;
    }
  }
  if (typeof request.max_output_tokens === 'number') {
    chatRequest.max_completion_tokens = request.max_output_tokens;
  }
  if (typeof request.temperature === 'number') chatRequest.temperature = request.temperature;
  if (typeof request.top_p === 'number') chatRequest.top_p = request.top_p;
  const effort = request.reasoning?.effort;
  if (effort !== undefined && effort !== null) chatRequest.reasoning_effort = effort;
  const responseFormat = convertTextFormat(request.text?.format);
  if (responseFormat) chatRequest.response_format = responseFormat;
  if (typeof request.user === 'string') chatRequest.user = request.user;
  if (isPlainObject(request.metadata)) chatRequest.metadata = request.metadata;
  const extras: Record<string, unknown> = chatRequest;
  for (const field of QWEN_EXTRA_FIELDS) {
    if (request[field] !== undefined && request[field] !== null) extras[field] = request[field];
  }
  return { chatRequest, stream, echo: createRequestEcho(request), toolNames, ignoredTools };
}

/** The request fields a response object repeats, with OpenAI's defaults for absent ones. */
export function createRequestEcho(request: ResponsesRequest): ResponsesRequestEcho {
  const text = isPlainObject(request.text) ? request.text : undefined;
  return {
    instructions: typeof request.instructions === 'string' ? request.instructions : null,
    max_output_tokens:
      typeof request.max_output_tokens === 'number' ? request.max_output_tokens : null,
    metadata: isPlainObject(request.metadata) ? request.metadata : {},
    parallel_tool_calls: request.parallel_tool_calls !== false,
    previous_response_id:
      typeof request.previous_response_id === 'string' ? request.previous_response_id : null,
    reasoning: {
      effort: typeof request.reasoning?.effort === 'string' ? request.reasoning.effort : null,
      summary: typeof request.reasoning?.summary === 'string' ? request.reasoning.summary : null,
    },
    // only a parser with a response store lets `store: true` through
    store: request.store === true,
    temperature: typeof request.temperature === 'number' ? request.temperature : null,
    // no copy of an absent `text` (the usual request): an object spread costs Node 20 its slow path
    text:
      text === undefined
        ? { format: { type: 'text' } }
        : { ...text, format: isPlainObject(text.format) ? text.format : { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: Array.isArray(request.tools) ? request.tools : [],
    top_p: typeof request.top_p === 'number' ? request.top_p : null,
    user: typeof request.user === 'string' ? request.user : null,
  };
}

function convertTextFormat(format: unknown): ChatCompletionRequest['response_format'] | undefined {
  if (!isPlainObject(format) || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'json_schema') {
    if (!isPlainObject(format.schema)) {
      throw new InvalidRequestError({
        message: "Invalid value for 'text.format.schema': expected a JSON schema object.",
        param: 'text.format.schema',
      });
    }
    const jsonSchema: Record<string, unknown> = {
      name: typeof format.name === 'string' && format.name !== '' ? format.name : 'response',
      schema: format.schema,
    };
    if (typeof format.description === 'string') jsonSchema.description = format.description;
    if (typeof format.strict === 'boolean') jsonSchema.strict = format.strict;
    return { type: 'json_schema', json_schema: jsonSchema };
  }
  throw new InvalidRequestError({
    message: `Invalid value for 'text.format.type': expected one of 'text', 'json_object', 'json_schema'.`,
    param: 'text.format.type',
  });
}
