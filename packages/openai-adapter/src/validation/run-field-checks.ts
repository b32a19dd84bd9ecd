import { InvalidRequestError, NestingTooDeepError } from '../errors/invalid-request-error';
import { type FieldCheck, isPlainObject } from './field-checks';
import { findNestingIssue } from './find-nesting-issue';
import { createValidationIssue, type ValidationIssue } from './validation-issue';

/** A table of fields (`a.b` = nested) and their checks. */
export type FieldCheckTable = ReadonlyArray<readonly [string, FieldCheck]>;

/** The result of a safeParse* function. */
export type SafeParseResult<T> =
  | { success: true; data: T }
  | { success: false; error: InvalidRequestError };

/** Runs a check table over a body in order; absent fields are not checked. First issue wins. */
export function runFieldChecks({
  body,
  checks,
}: {
  body: Record<string, unknown>;
  checks: FieldCheckTable;
}): ValidationIssue | undefined {
  for (const [field, check] of checks) {
    const value = readField({ body, field });
    if (value === undefined) continue;
    const reason = check(value);
    if (reason !== undefined) return createValidationIssue({ param: field, reason });
  }
  return undefined;
}

/**
 * The checks every OpenAI request body starts with: a JSON object, nested no deeper than
 * MAX_REQUEST_NESTING_DEPTH (before any other check walks it), with a non-empty `model`.
 */
export function findRequestBodyIssue(body: unknown): ValidationIssue | undefined {
  if (!isPlainObject(body))
    return { param: null, message: 'The request body must be a JSON object.' };
  const nestingIssue = findNestingIssue({ body });
  if (nestingIssue) return nestingIssue;
  if (typeof body.model === 'string' && body.model !== '') return undefined;
  return body.model === undefined
    ? { param: 'model', message: "Missing required parameter: 'model'." }
    : createValidationIssue({ param: 'model', reason: 'expected a non-empty string.' });
}

/** Builds the safeParse* / parse* pair from an issue finder. */
export function createRequestParsers<T>(
  findIssue: (body: unknown) => ValidationIssue | undefined,
): {
  safeParse: (body: unknown) => SafeParseResult<T>;
  parse: (body: unknown) => T;
} {
  const safeParse = (body: unknown): SafeParseResult<T> => {
    const issue = findIssue(body);
    if (issue) {
      const { kind, ...fields } = issue;
      const error =
        kind === 'nesting-too-deep'
          ? new NestingTooDeepError(fields)
          : new InvalidRequestError(fields);
      return { success: false, error };
    }
    return { success: true, data: body as T };
  };
  const parse = (body: unknown): T => {
    const result = safeParse(body);
    if (!result.success) throw result.error;
    return result.data;
  };
  return { safeParse, parse };
}

// `a.b` reads body.a.b when body.a is an object (the parent's own check runs first)
function readField({ body, field }: { body: Record<string, unknown>; field: string }): unknown {
  const dot = field.indexOf('.');
  if (dot === -1) return body[field];
  const parent = body[field.slice(0, dot)];
  return isPlainObject(parent) ? parent[field.slice(dot + 1)] : undefined;
}
