import { InvalidRequestError } from '../errors/invalid-request-error';
import type { EmbeddingsRequest } from '../types/chat-completion-request';
import {
  createEnumCheck,
  createNumberCheck,
  createStringCheck,
  type FieldCheck,
  isPlainObject,
} from './field-checks';
import { createValidationIssue, type ValidationIssue } from './validation-issue';

const isToken = (item: unknown): boolean => Number.isSafeInteger(item);

const checkInput: FieldCheck = (value) => {
  if (typeof value === 'string') return value === '' ? 'expected a non-empty string.' : undefined;
  if (!Array.isArray(value) || value.length === 0) return 'expected a string or a non-empty array.';
  if (value.every((item) => typeof item === 'string' && item !== '')) return undefined;
  if (value.every(isToken)) return undefined;
  if (value.every((item) => Array.isArray(item) && item.length > 0 && item.every(isToken)))
    return undefined;
  return 'expected non-empty strings, an array of token ids, or an array of token id arrays.';
};

const EMBEDDINGS_FIELD_CHECKS: ReadonlyArray<readonly [string, FieldCheck]> = [
  ['input', checkInput],
  ['encoding_format', createEnumCheck(['float', 'base64'])],
  ['dimensions', createNumberCheck({ min: 1, integer: true })],
  ['user', createStringCheck()],
];

/** Validates an embeddings body without throwing. */
export function safeParseEmbeddingsRequest(
  body: unknown,
): { success: true; data: EmbeddingsRequest } | { success: false; error: InvalidRequestError } {
  const issue = findEmbeddingsIssue(body);
  if (issue) return { success: false, error: new InvalidRequestError(issue) };
  return { success: true, data: body as EmbeddingsRequest };
}

/** Validates an embeddings body; throws {@link InvalidRequestError} naming the offending `param`. */
export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  const result = safeParseEmbeddingsRequest(body);
  if (!result.success) throw result.error;
  return result.data;
}

function findEmbeddingsIssue(body: unknown): ValidationIssue | undefined {
  if (!isPlainObject(body))
    return { param: null, message: 'The request body must be a JSON object.' };
  if (typeof body.model !== 'string' || body.model === '') {
    return body.model === undefined
      ? { param: 'model', message: "Missing required parameter: 'model'." }
      : createValidationIssue({ param: 'model', reason: 'expected a non-empty string.' });
  }
  if (body.input === undefined)
    return { param: 'input', message: "Missing required parameter: 'input'." };
  for (const [field, check] of EMBEDDINGS_FIELD_CHECKS) {
    const value = body[field];
    if (value === undefined) continue;
    const reason = check(value);
    if (reason !== undefined) return createValidationIssue({ param: field, reason });
  }
  return undefined;
}
