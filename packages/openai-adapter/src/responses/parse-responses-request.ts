import type { InvalidRequestError } from '../errors/invalid-request-error';
import {
  checkBoolean,
  checkObject,
  createEnumCheck,
  createNumberCheck,
  createStringCheck,
  type FieldCheck,
  isPlainObject,
  nullable,
} from '../validation/field-checks';
import {
  createRequestParsers,
  type FieldCheckTable,
  findRequestBodyIssue,
  runFieldChecks,
  type SafeParseResult,
} from '../validation/run-field-checks';
import { createValidationIssue, type ValidationIssue } from '../validation/validation-issue';
import type { ResponsesRequest } from './responses-types';

// `max` is what the newest OpenAI models (and @ai-sdk/openai) call the top level; it maps like xhigh
const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;

const checkInput: FieldCheck = (value) =>
  typeof value === 'string' || Array.isArray(value)
    ? undefined
    : 'expected a string or an array of input items.';

const checkArray: FieldCheck = (value) => (Array.isArray(value) ? undefined : 'expected an array.');

const checkToolChoice: FieldCheck = (value) =>
  typeof value === 'string' || isPlainObject(value) ? undefined : 'expected a string or an object.';

const checkStringArray: FieldCheck = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string')
    ? undefined
    : 'expected an array of strings.';

/** Fields of a Responses request and their checks; ranges follow the OpenAI API. */
const RESPONSES_FIELD_CHECKS: FieldCheckTable = [
  ['input', checkInput],
  ['instructions', nullable(createStringCheck())],
  ['tools', nullable(checkArray)],
  ['tool_choice', nullable(checkToolChoice)],
  ['parallel_tool_calls', nullable(checkBoolean)],
  ['max_output_tokens', nullable(createNumberCheck({ min: 1, integer: true }))],
  ['temperature', nullable(createNumberCheck({ min: 0, max: 2 }))],
  ['top_p', nullable(createNumberCheck({ min: 0, max: 1 }))],
  ['reasoning', nullable(checkObject)],
  ['reasoning.effort', nullable(createEnumCheck(REASONING_EFFORTS))],
  ['text', nullable(checkObject)],
  ['text.format', nullable(checkObject)],
  ['stream', nullable(checkBoolean)],
  ['store', nullable(checkBoolean)],
  ['user', nullable(createStringCheck())],
  ['metadata', nullable(checkObject)],
  ['include', nullable(checkStringArray)],
];

/*
 * Fields that need server-side state. Without a response store they are refused by name rather
 * than ignored: a client relying on them would silently lose its conversation. With one
 * (`storesResponses`), `store` and `previous_response_id` are the caller's to serve.
 */
const STATEFUL_FIELDS: ReadonlyArray<{
  field: string;
  isRequested: (value: unknown) => boolean;
  message: string;
  /** a response store serves it */
  servedByStore?: boolean;
}> = [
  {
    field: 'store',
    isRequested: (value) => value === true,
    message:
      "'store: true' is not supported: qwen-relay keeps no response state. Send 'store: false' (or omit it) and pass the whole conversation in 'input'.",
    servedByStore: true,
  },
  {
    field: 'previous_response_id',
    isRequested: (value) => value !== undefined && value !== null,
    message:
      "'previous_response_id' is not supported: qwen-relay keeps no response state. Pass the whole conversation in 'input' instead.",
    servedByStore: true,
  },
  {
    field: 'conversation',
    isRequested: (value) => value !== undefined && value !== null,
    message:
      "'conversation' is not supported: qwen-relay keeps no conversation state. Pass the whole conversation in 'input' instead.",
  },
  {
    field: 'background',
    isRequested: (value) => value === true,
    message: "'background: true' is not supported: qwen-relay keeps no response state.",
  },
  {
    field: 'prompt',
    isRequested: (value) => value !== undefined && value !== null,
    message:
      "'prompt' (stored prompt templates) is not supported; send 'instructions' and 'input' instead.",
  },
];

const STORED_STATE_CHECKS: FieldCheckTable = [
  ['previous_response_id', nullable(createStringCheck({ nonEmpty: true }))],
];

/**
 * Request parsers for a server that keeps responses (`storesResponses: true`: `store: true` and
 * `previous_response_id` are accepted, the caller stores and expands them) or keeps none (both are
 * refused with a 400 naming them).
 */
export function createResponsesRequestParsers({ storesResponses }: { storesResponses: boolean }): {
  safeParse: (body: unknown) => SafeParseResult<ResponsesRequest>;
  parse: (body: unknown) => ResponsesRequest;
} {
  return createRequestParsers<ResponsesRequest>((body) =>
    findResponsesIssue({ body, storesResponses }),
  );
}

const responsesParsers = createResponsesRequestParsers({ storesResponses: false });

/** Validates a Responses body without throwing (item-level checks happen in the conversion). */
export const safeParseResponsesRequest: (body: unknown) => SafeParseResult<ResponsesRequest> =
  responsesParsers.safeParse;

/** Validates a Responses body; throws {@link InvalidRequestError} naming the offending `param`. */
export const parseResponsesRequest: (body: unknown) => ResponsesRequest = responsesParsers.parse;

function findResponsesIssue({
  body,
  storesResponses,
}: {
  body: unknown;
  storesResponses: boolean;
}): ValidationIssue | undefined {
  const bodyIssue = findRequestBodyIssue(body);
  if (bodyIssue || !isPlainObject(body)) return bodyIssue;
  for (const { field, isRequested, message, servedByStore } of STATEFUL_FIELDS) {
    if (servedByStore === true && storesResponses) continue;
    if (isRequested(body[field])) return { param: field, message };
  }
  if (storesResponses) {
    const storedStateIssue = runFieldChecks({ body, checks: STORED_STATE_CHECKS });
    if (storedStateIssue) return storedStateIssue;
  }
  // some Codex builds send chat-style `messages` instead of `input` (openai/codex#14743)
  const input = body.input ?? body.messages;
  if (input === undefined || input === null) {
    return { param: 'input', message: "Missing required parameter: 'input'." };
  }
  if (body.input === undefined && !Array.isArray(input)) {
    return createValidationIssue({ param: 'messages', reason: 'expected an array.' });
  }
  return runFieldChecks({ body, checks: RESPONSES_FIELD_CHECKS });
}
