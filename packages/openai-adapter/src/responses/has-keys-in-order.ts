/**
 * True when JSON.stringify writes `value` as exactly the members `keys`, in that order: an object
 * literal (its prototype Object.prototype or null: no boxed primitive, no class with a toJSON of
 * its own), no toJSON, and its enumerable keys (own and inherited, as for…in walks them) are
 * `keys`. What the Responses events built as text check before they take an object's shape as
 * known. Stricter than contracts' `isRecord`, which admits any non-array object.
 */
export function hasKeysInOrder(
  value: unknown,
  keys: readonly string[],
): value is Record<string, unknown> {
  if (!isObjectLiteral(value) || 'toJSON' in value) return false;
  let index = 0;
  for (const key in value) {
    if (key !== keys[index]) return false;
    index++;
  }
  return index === keys.length;
}

function isObjectLiteral(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
