import fc from 'fast-check';
import type { RequestFuzzTarget } from './request-fuzz-target';

/** `depth` levels of objects (`{"a":{"a":…}}`) or arrays (`[[…]]`) around `leaf`. */
export function createNestedValue({
  depth,
  kind,
}: {
  depth: number;
  kind: 'object' | 'array';
}): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = kind === 'object' ? { a: value } : [value];
  return value;
}

// deep enough to crash anything recursive (JSON.stringify overflows at a few thousand levels)
const deepValueArbitrary = fc
  .record({
    depth: fc.integer({ min: 50, max: 20_000 }),
    kind: fc.constantFrom('object' as const, 'array' as const),
  })
  .map(createNestedValue);

const valueArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: deepValueArbitrary },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      -0,
      1e308,
      -1,
      Number.MAX_SAFE_INTEGER + 2,
      '__proto__',
      { __proto__: null },
      JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
      [],
      {},
      null,
    ),
  },
);

// sets `path` (`a.0.b`) in a copy of `body` that shares everything off the path (values may be
// nested too deep for structuredClone), creating objects where needed
function setPath({
  body,
  path,
  value,
}: {
  body: Readonly<Record<string, unknown>>;
  path: readonly string[];
  value: unknown;
}): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...body };
  let parent: Record<string, unknown> = copy;
  for (const segment of path.slice(0, -1)) {
    const next = parent[segment];
    const child: Record<string, unknown> =
      typeof next !== 'object' || next === null
        ? {}
        : Array.isArray(next)
          ? ([...next] as unknown as Record<string, unknown>)
          : { ...(next as Record<string, unknown>) };
    parent[segment] = child;
    parent = child;
  }
  const last = path.at(-1) ?? '';
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

/**
 * Bodies for one target: its valid body with one to three fields (known paths or random names)
 * replaced by arbitrary JSON, deep nesting or removed; or any JSON value as the whole body.
 */
export function createRequestBodyArbitrary(target: RequestFuzzTarget): fc.Arbitrary<unknown> {
  const pathArbitrary = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...target.fieldPaths).map((path) => path.split('.')) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }).map((name) => [name]) },
  );
  const editArbitrary = fc.record({
    path: pathArbitrary,
    value: fc.option(valueArbitrary, { nil: undefined, freq: 8 }),
  });
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .array(editArbitrary, { minLength: 1, maxLength: 3 })
        .map((edits) =>
          edits.reduce<Record<string, unknown>>(
            (body, edit) => setPath({ body, path: edit.path, value: edit.value }),
            { ...target.validBody },
          ),
        ),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}
