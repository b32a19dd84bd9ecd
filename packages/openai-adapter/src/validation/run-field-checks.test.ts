import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBoolean, createNumberCheck, type FieldCheck } from './field-checks';
import { type FieldCheckTable, runFieldChecks } from './run-field-checks';
import { createValidationIssue, type ValidationIssue } from './validation-issue';

const TABLE: FieldCheckTable = [
  ['stream', checkBoolean],
  ['options', (value) => (typeof value === 'object' ? undefined : 'expected an object.')],
  ['options.flag', checkBoolean],
  ['n', createNumberCheck({ min: 1, integer: true })],
  ['temperature', createNumberCheck({ min: 0, max: 2 })],
  ['options.level', createNumberCheck({ min: 0, max: 3 })],
];

// the table walked field by field, as before the look-up by the body's keys
function runEveryField(body: Record<string, unknown>): ValidationIssue | undefined {
  for (const [field, check] of TABLE as ReadonlyArray<readonly [string, FieldCheck]>) {
    const [top, nested] = field.split('.');
    const parent = body[top ?? field];
    const value =
      nested === undefined
        ? parent
        : typeof parent === 'object' && parent !== null && !Array.isArray(parent)
          ? (parent as Record<string, unknown>)[nested]
          : undefined;
    if (value === undefined) continue;
    const reason = check(value);
    if (reason !== undefined) return createValidationIssue({ param: field, reason });
  }
  return undefined;
}

describe('runFieldChecks', () => {
  it('reports the same first issue as checking every field of the table in order', () => {
    const anyValue = fc.oneof(
      fc.boolean(),
      fc.integer({ min: -3, max: 5 }),
      fc.double({ noNaN: true, min: -1, max: 4 }),
      fc.string({ maxLength: 3 }),
      fc.constant(null),
      fc.constant(undefined),
      fc.dictionary(
        fc.constantFrom('flag', 'level', 'other'),
        fc.oneof(fc.boolean(), fc.integer()),
      ),
    );
    const key = fc.constantFrom('stream', 'options', 'n', 'temperature', 'model', 'messages', 'x');
    fc.assert(
      fc.property(fc.array(fc.tuple(key, anyValue), { maxLength: 8 }), (entries) => {
        const body = Object.fromEntries(entries) as Record<string, unknown>;
        expect(runFieldChecks({ body, checks: TABLE })).toEqual(runEveryField(body));
      }),
      { numRuns: 2000 },
    );
  });

  it('checks in table order whatever the order of the body, inherited fields included', () => {
    const inherited = Object.create({ stream: 'no' }) as Record<string, unknown>;
    inherited.n = 1;
    expect(runFieldChecks({ body: inherited, checks: TABLE })?.param).toBe('stream');
    const bare = Object.create(null) as Record<string, unknown>;
    bare.n = 0;
    expect(runFieldChecks({ body: bare, checks: TABLE })?.param).toBe('n');
    expect(runFieldChecks({ body: { temperature: 9, stream: 'no' }, checks: TABLE })?.param).toBe(
      'stream',
    );
    expect(
      runFieldChecks({ body: { options: { level: 7, flag: 'x' }, n: 1 }, checks: TABLE })?.param,
    ).toBe('options.flag');
    expect(runFieldChecks({ body: {}, checks: TABLE })).toBeUndefined();
  });
});
