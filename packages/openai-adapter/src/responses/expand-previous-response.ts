import { isPlainObject } from '../validation/field-checks';
import type { ResponsesRequest } from './responses-types';

/** A kept response and the conversation it answered: what a `previous_response_id` continues. */
export interface StoredResponse {
  /** every input item the response answered, oldest first (earlier turns already expanded) */
  input: Record<string, unknown>[];
  /** the response object as its client got it (its `output` continues the conversation) */
  response: Record<string, unknown>;
}

// output items a later turn can send back as input (hosted-tool items have no Qwen counterpart)
const CONTINUABLE_OUTPUT_TYPES = new Set([
  'message',
  'reasoning',
  'function_call',
  'custom_tool_call',
]);

/** The items of a Responses `input` (or Codex's chat-style `messages`); a string is one user message. */
export function convertResponsesInputToItems(
  request: Pick<ResponsesRequest, 'input'> & { messages?: unknown },
): Record<string, unknown>[] {
  const input = request.input ?? request.messages;
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? input.filter(isPlainObject) : [];
}

/**
 * The request a `previous_response_id` turn stands for: its `input` becomes the stored
 * conversation, then the previous response's output items, then the request's own input (as the
 * Responses API defines it). `instructions` are not carried over, as in the OpenAI API; the id
 * stays on the request so the response can echo it.
 */
export function expandPreviousResponse({
  request,
  previous,
}: {
  request: ResponsesRequest;
  previous: StoredResponse;
}): ResponsesRequest {
  const output = Array.isArray(previous.response.output) ? previous.response.output : [];
  const carried = output.filter(
    (item): item is Record<string, unknown> =>
      isPlainObject(item) && CONTINUABLE_OUTPUT_TYPES.has(String(item.type)),
  );
  const { messages: _messages, ...rest } = request;
  return {
    ...rest,
    input: [...previous.input, ...carried, ...convertResponsesInputToItems(request)],
  };
}
