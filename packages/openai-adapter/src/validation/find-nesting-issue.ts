import type { ValidationIssue } from './validation-issue';

/**
 * Deepest nesting of objects and arrays a request body may have (the body itself is level 1).
 * Real requests stay far below (a tool's JSON schema included); thousands of levels crash any
 * recursive code downstream (`JSON.stringify` throws RangeError) and must be refused first.
 */
export const MAX_REQUEST_NESTING_DEPTH = 100;

/**
 * Finds the first top-level field of `body` nested deeper than `maxDepth`. The walk recurses,
 * but never more than `maxDepth` calls deep: it stops where the limit is passed, so a body of a
 * million levels cannot overflow the stack. It allocates nothing (an explicit stack of frames
 * cost 15–33 µs on a 96 KiB agent request, this 6–10). The issue names the field.
 */
export function findNestingIssue({
  body,
  maxDepth = MAX_REQUEST_NESTING_DEPTH,
}: {
  body: Record<string, unknown>;
  maxDepth?: number;
}): ValidationIssue | undefined {
  for (const field of Object.keys(body)) {
    const value = body[field];
    // the body is level 1: its fields' values start at level 2
    if (typeof value === 'object' && value !== null && isNestedDeeperThan(value, maxDepth - 1)) {
      return {
        param: field,
        message: `Invalid value for '${field}': nested deeper than ${maxDepth} levels of objects and arrays.`,
        kind: 'nesting-too-deep',
      };
    }
  }
  return undefined;
}

/** Whether an object or array within `value` (itself one level) lies past `levelsLeft` levels. */
function isNestedDeeperThan(value: object, levelsLeft: number): boolean {
  if (levelsLeft <= 0) return true;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const child: unknown = value[index];
      if (
        typeof child === 'object' &&
        child !== null &&
        isNestedDeeperThan(child, levelsLeft - 1)
      ) {
        return true;
      }
    }
    return false;
  }
  for (const key in value) {
    const child: unknown = (value as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null && isNestedDeeperThan(child, levelsLeft - 1)) {
      return true;
    }
  }
  return false;
}
