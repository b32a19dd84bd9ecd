import type { InvalidRequestError } from '../errors/invalid-request-error';
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
import {
  createRequestParsers,
  type FieldCheckTable,
  findRequestBodyIssue,
  runFieldChecks,
  type SafeParseResult,
} from './run-field-checks';
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
const CHAT_FIELD_CHECKS: FieldCheckTable = [
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

const chatCompletionParsers = createRequestParsers<ChatCompletionRequest>(findChatCompletionIssue);

/** Validates a chat-completions body without throwing. */
export const safeParseChatCompletionRequest: (
  body: unknown,
) => SafeParseResult<ChatCompletionRequest> = chatCompletionParsers.safeParse;

/** Validates a chat-completions body; throws {@link InvalidRequestError} naming the offending `param`. */
export const parseChatCompletionRequest: (body: unknown) => ChatCompletionRequest =
  chatCompletionParsers.parse;

function findChatCompletionIssue(body: unknown): ValidationIssue | undefined {
  const bodyIssue = findRequestBodyIssue(body);
  if (bodyIssue || !isPlainObject(body)) return bodyIssue;
  const { messages } = body;
  if (messages === undefined) {
    return { param: 'messages', message: "Missing required parameter: 'messages'." };
  }
  if (!Array.isArray(messages)) {
    return createValidationIssue({ param: 'messages', reason: 'expected an array.' });
  }
  if (messages.length === 0) {
    return createValidationIssue({ param: 'messages', reason: 'expected at least one message.' });
  }
  for (let index = 0; index < messages.length; index++) {
    const issue = validateChatMessage({ message: messages[index], param: `messages[${index}]` });
    if (issue) return issue;
  }
  return runFieldChecks({ body, checks: CHAT_FIELD_CHECKS }) ?? validateToolFields(body);
}
