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

// per table: the positions of its checks by top-level field name (`a` for `a.b`)
const checkPositionsByTable = new WeakMap<FieldCheckTable, Map<string, number[]>>();

function readCheckPositions(checks: FieldCheckTable): Map<string, number[]> {
  let positions = checkPositionsByTable.get(checks);
  if (positions === undefined) {
    positions = new Map();
    for (const [index, [field]] of checks.entries()) {
      const top = field.split('.', 1)[0] ?? field;
      const list = positions.get(top);
      if (list === undefined) positions.set(top, [index]);
      else list.push(index);
    }
    checkPositionsByTable.set(checks, positions);
  }
  return positions;
}

/**
 * Runs a check table over a body in order; absent fields are not checked. First issue wins.
 * A request carries a handful of the table's two dozen fields: the body's own keys pick the
 * checks to run (a look-up of every field of the table, most of them absent, cost more), and
 * the picked checks run in the table's order, so the issue reported is the same.
 */
export function runFieldChecks({
  body,
  checks,
}: {
  body: Record<string, unknown>;
  checks: FieldCheckTable;
}): ValidationIssue | undefined {
  const prototype = Object.getPrototypeOf(body) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    // not from JSON.parse: fields may be inherited, so every field of the table is read
    return runPickedChecks({ body, checks, picked: checks.map((_, index) => index) });
  }
  const positions = readCheckPositions(checks);
  let picked: number[] | undefined;
  for (const key in body) {
    const found = positions.get(key);
    if (found === undefined || !Object.hasOwn(body, key)) continue;
    picked ??= [];
    for (const index of found) picked.push(index);
  }
  if (picked === undefined) return undefined;
  if (picked.length > 1) picked.sort((a, b) => a - b);
  return runPickedChecks({ body, checks, picked });
}

function runPickedChecks({
  body,
  checks,
  picked,
}: {
  body: Record<string, unknown>;
  checks: FieldCheckTable;
  /** positions in `checks`, ascending */
  picked: readonly number[];
}): ValidationIssue | undefined {
  for (const index of picked) {
    const [field, check] = checks[index] as readonly [string, FieldCheck];
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
