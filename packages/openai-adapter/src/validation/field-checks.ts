import { isRecord } from '@qwen-relay/contracts';

/**
 * Tiny field checks for the hand-written validators. A check returns `undefined` when the value
 * is acceptable, else the text after "Invalid value for '<param>': ". No allocation on success,
 * because this runs on every request.
 */
export type FieldCheck = (value: unknown) => string | undefined;

/** True for `{...}` objects (not arrays, not null): contracts' `isRecord`, under the name the validators use. */
export const isPlainObject = isRecord;

/** A string (optionally non-empty). */
export function createStringCheck({ nonEmpty = false }: { nonEmpty?: boolean } = {}): FieldCheck {
  return (value) => {
    if (typeof value !== 'string') return 'expected a string.';
    if (nonEmpty && value === '') return 'expected a non-empty string.';
    return undefined;
  };
}

/** A boolean. */
export const checkBoolean: FieldCheck = (value) =>
  typeof value === 'boolean' ? undefined : 'expected a boolean.';

/** A JSON object. */
export const checkObject: FieldCheck = (value) =>
  isPlainObject(value) ? undefined : 'expected an object.';

/** A finite number (or integer) within inclusive bounds; `exclusiveMin` excludes the lower bound. */
export function createNumberCheck({
  min,
  max,
  integer = false,
  exclusiveMin = false,
}: {
  min?: number;
  max?: number;
  integer?: boolean;
  exclusiveMin?: boolean;
}): FieldCheck {
  const kind = integer ? 'an integer' : 'a number';
  const range = describeRange({ min, max, exclusiveMin });
  return (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return `expected ${kind}.`;
    if (integer && !Number.isSafeInteger(value)) return `expected ${kind}.`;
    if (min !== undefined && (exclusiveMin ? value <= min : value < min)) {
      return `expected ${kind} ${range}, got ${value}.`;
    }
    if (max !== undefined && value > max) return `expected ${kind} ${range}, got ${value}.`;
    return undefined;
  };
}

/** One of the listed strings. */
export function createEnumCheck(allowed: readonly string[]): FieldCheck {
  const list = allowed.map((item) => `'${item}'`).join(', ');
  return (value) =>
    typeof value === 'string' && allowed.includes(value) ? undefined : `expected one of ${list}.`;
}

/** Accepts `null` as "not set" in addition to what `check` accepts (OpenAI allows null for most optional fields). */
export function nullable(check: FieldCheck): FieldCheck {
  return (value) => (value === null ? undefined : check(value));
}

function describeRange({
  min,
  max,
  exclusiveMin,
}: {
  min: number | undefined;
  max: number | undefined;
  exclusiveMin: boolean;
}): string {
  if (min !== undefined && max !== undefined) {
    return exclusiveMin ? `greater than ${min} and at most ${max}` : `between ${min} and ${max}`;
  }
  if (min !== undefined) return exclusiveMin ? `greater than ${min}` : `of at least ${min}`;
  if (max !== undefined) return `of at most ${max}`;
  return '';
}
