import { InvalidRequestError } from '../errors/invalid-request-error';
import type { ChatCompletionRequest } from '../types/chat-completion-request';
import {
  checkBoolean,
  checkObject,
  createEnumCheck,
  createNumberCheck,
  createStringCheck,
  type FieldCheck,
  isPlainObject,
  nullable,
} from './field-checks';
import { validateChatMessage } from './validate-chat-message';
import { validateToolFields } from './validate-tool-fields';
import { createValidationIssue, type ValidationIssue } from './validation-issue';

const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

const checkStop: FieldCheck = (value) => {
  if (value === null || typeof value === 'string') return undefined;
  if (
    Array.isArray(value) &&
    value.length <= 4 &&
    value.every((item) => typeof item === 'string')
  ) {
    return undefined;
  }
  return 'expected a string or an array of at most 4 strings.';
};

// n > 1 is rejected: the Qwen OAuth portal returns a single choice, so accepting it would be a lie
const checkN: FieldCheck = (value) =>
  value === null || value === 1 ? undefined : 'only n = 1 is supported by the Qwen upstream.';

/**
 * Fields of a chat request (`a.b` = nested) and their checks; absent fields are not checked. Ranges
 * follow the OpenAI API, so the client gets OpenAI's answer instead of the upstream's vaguer one.
 */
const CHAT_FIELD_CHECKS: ReadonlyArray<readonly [string, FieldCheck]> = [
  ['stream', nullable(checkBoolean)],
  ['stream_options', nullable(checkObject)],
  ['stream_options.include_usage', checkBoolean],
  ['n', checkN],
  ['stop', checkStop],
  ['seed', nullable(createNumberCheck({ integer: true }))],
  ['temperature', nullable(createNumberCheck({ min: 0, max: 2 }))],
  ['top_p', nullable(createNumberCheck({ min: 0, max: 1 }))],
  ['presence_penalty', nullable(createNumberCheck({ min: -2, max: 2 }))],
  ['frequency_penalty', nullable(createNumberCheck({ min: -2, max: 2 }))],
  ['max_tokens', nullable(createNumberCheck({ min: 1, integer: true }))],
  ['max_completion_tokens', nullable(createNumberCheck({ min: 1, integer: true }))],
  ['user', createStringCheck()],
  ['logprobs', nullable(checkBoolean)],
  ['top_logprobs', nullable(createNumberCheck({ min: 0, max: 20, integer: true }))],
  ['parallel_tool_calls', checkBoolean],
  ['reasoning_effort', nullable(createEnumCheck(REASONING_EFFORTS))],
  ['reasoning', nullable(checkObject)],
  ['reasoning.effort', nullable(createEnumCheck(REASONING_EFFORTS))],
  ['enable_thinking', checkBoolean],
  ['thinking_budget', createNumberCheck({ min: 1, integer: true })],
  ['top_k', nullable(createNumberCheck({ min: 0, integer: true }))],
  ['repetition_penalty', nullable(createNumberCheck({ min: 0, exclusiveMin: true }))],
  ['metadata', nullable(checkObject)],
];

/** Validates a chat-completions body without throwing. */
export function safeParseChatCompletionRequest(
  body: unknown,
): { success: true; data: ChatCompletionRequest } | { success: false; error: InvalidRequestError } {
  const issue = findChatCompletionIssue(body);
  if (issue) return { success: false, error: new InvalidRequestError(issue) };
  return { success: true, data: body as ChatCompletionRequest };
}

/** Validates a chat-completions body; throws {@link InvalidRequestError} naming the offending `param`. */
export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
  const result = safeParseChatCompletionRequest(body);
  if (!result.success) throw result.error;
  return result.data;
}

function findChatCompletionIssue(body: unknown): ValidationIssue | undefined {
  if (!isPlainObject(body))
    return { param: null, message: 'The request body must be a JSON object.' };
  if (typeof body.model !== 'string' || body.model === '') {
    return body.model === undefined
      ? { param: 'model', message: "Missing required parameter: 'model'." }
      : createValidationIssue({ param: 'model', reason: 'expected a non-empty string.' });
  }
  const { messages } = body;
  if (messages === undefined)
    return { param: 'messages', message: "Missing required parameter: 'messages'." };
  if (!Array.isArray(messages))
    return createValidationIssue({ param: 'messages', reason: 'expected an array.' });
  if (messages.length === 0) {
    return createValidationIssue({ param: 'messages', reason: 'expected at least one message.' });
  }
  for (let index = 0; index < messages.length; index++) {
    const issue = validateChatMessage({ message: messages[index], param: `messages[${index}]` });
    if (issue) return issue;
  }
  for (const [field, check] of CHAT_FIELD_CHECKS) {
    const value = readField({ body, field });
    if (value === undefined) continue;
    const reason = check(value);
    if (reason !== undefined) return createValidationIssue({ param: field, reason });
  }
  return validateToolFields(body);
}

// `a.b` reads body.a.b when body.a is an object (the parent's own check runs first)
function readField({ body, field }: { body: Record<string, unknown>; field: string }): unknown {
  const dot = field.indexOf('.');
  if (dot === -1) return body[field];
  const parent = body[field.slice(0, dot)];
  return isPlainObject(parent) ? parent[field.slice(dot + 1)] : undefined;
}
