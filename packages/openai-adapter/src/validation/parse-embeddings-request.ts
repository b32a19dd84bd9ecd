import type { InvalidRequestError } from '../errors/invalid-request-error';
import type { EmbeddingsRequest } from '../types/chat-completion-request';
import {
  createEnumCheck,
  createNumberCheck,
  createStringCheck,
  type FieldCheck,
  isPlainObject,
} from './field-checks';
import {
  createRequestParsers,
  type FieldCheckTable,
  findRequestBodyIssue,
  runFieldChecks,
  type SafeParseResult,
} from './run-field-checks';
import type { ValidationIssue } from './validation-issue';

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

const EMBEDDINGS_FIELD_CHECKS: FieldCheckTable = [
  ['input', checkInput],
  ['encoding_format', createEnumCheck(['float', 'base64'])],
  ['dimensions', createNumberCheck({ min: 1, integer: true })],
  ['user', createStringCheck()],
];

const embeddingsParsers = createRequestParsers<EmbeddingsRequest>(findEmbeddingsIssue);

/** Validates an embeddings body without throwing. */
export const safeParseEmbeddingsRequest: (body: unknown) => SafeParseResult<EmbeddingsRequest> =
  embeddingsParsers.safeParse;

/** Validates an embeddings body; throws {@link InvalidRequestError} naming the offending `param`. */
export const parseEmbeddingsRequest: (body: unknown) => EmbeddingsRequest = embeddingsParsers.parse;

function findEmbeddingsIssue(body: unknown): ValidationIssue | undefined {
  const bodyIssue = findRequestBodyIssue(body);
  if (bodyIssue || !isPlainObject(body)) return bodyIssue;
  if (body.input === undefined)
    return { param: 'input', message: "Missing required parameter: 'input'." };
  return runFieldChecks({ body, checks: EMBEDDINGS_FIELD_CHECKS });
}
