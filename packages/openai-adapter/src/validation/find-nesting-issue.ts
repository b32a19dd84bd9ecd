import type { ValidationIssue } from './validation-issue';

/**
 * Deepest nesting of objects and arrays a request body may have (the body itself is level 1).
 * Real requests stay far below (a tool's JSON schema included); thousands of levels crash any
 * recursive code downstream (`JSON.stringify` throws RangeError) and must be refused first.
 */
export const MAX_REQUEST_NESTING_DEPTH = 100;

/**
 * Finds the first top-level field of `body` nested deeper than `maxDepth`, without recursion
 * (an explicit stack, so the check itself cannot overflow). The issue names that field.
 */
export function findNestingIssue({
  body,
  maxDepth = MAX_REQUEST_NESTING_DEPTH,
}: {
  body: Record<string, unknown>;
  maxDepth?: number;
}): ValidationIssue | undefined {
  for (const field of Object.keys(body)) {
    if (isNestedDeeperThan({ value: body[field], maxDepth: maxDepth - 1 })) {
      return {
        param: field,
        message: `Invalid value for '${field}': nested deeper than ${maxDepth} levels of objects and arrays.`,
        kind: 'nesting-too-deep',
      };
    }
  }
  return undefined;
}

function isNestedDeeperThan({ value, maxDepth }: { value: unknown; maxDepth: number }): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: Array<{ value: object; depth: number }> = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: object; depth: number };
    if (depth > maxDepth) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, depth: depth + 1 });
      }
    }
  }
  return false;
}
