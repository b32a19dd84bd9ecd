import { describe, expect, it } from 'vitest';
import { applyStateOperation, pruneExpiredStateEntries, type StateEntries } from './state-entries';

/** Applies an increment of `by` to `key` at `nowInMs`, with `ttlInMs` when given. */
function incrementAt({
  entries,
  nowInMs,
  key,
  by,
  ttlInMs,
}: {
  entries: StateEntries;
  nowInMs: number;
  key: string;
  by: number;
  ttlInMs?: number;
}) {
  return applyStateOperation({
    entries,
    nowInMs,
    operation: { kind: 'increment', key, by, ...(ttlInMs === undefined ? {} : { ttlInMs }) },
  });
}

describe('applyStateOperation', () => {
  it('gives an increment without expiry the expiry of a later ttl (PEXPIRE NX)', () => {
    const entries: StateEntries = new Map();
    incrementAt({ entries, nowInMs: 0, key: 'k', by: 1 });
    incrementAt({ entries, nowInMs: 10, key: 'k', by: 1, ttlInMs: 100 });
    expect(entries.get('k')).toEqual({ value: '2', expiresAtInMs: 110 });
  });

  it('keeps the first expiry of a live counter (INCRBY) and counts a non-number from zero', () => {
    const entries: StateEntries = new Map([['k', { value: '3', expiresAtInMs: 100 }]]);
    expect(incrementAt({ entries, nowInMs: 10, key: 'k', by: 2, ttlInMs: 1_000 })).toBe(5);
    expect(entries.get('k')).toEqual({ value: '5', expiresAtInMs: 100 });
    entries.set('text', { value: 'abc', expiresAtInMs: 100 });
    expect(incrementAt({ entries, nowInMs: 10, key: 'text', by: 1, ttlInMs: 5 })).toBe(1);
    expect(entries.get('text')).toEqual({ value: '1', expiresAtInMs: 100 });
  });

  it('counts an expired counter from zero with a new expiry', () => {
    const entries: StateEntries = new Map([['k', { value: '7', expiresAtInMs: 50 }]]);
    const next = incrementAt({ entries, nowInMs: 60, key: 'k', by: 2, ttlInMs: 100 });
    expect(next).toBe(2);
    expect(entries.get('k')).toEqual({ value: '2', expiresAtInMs: 160 });
  });

  it('treats an expired entry as absent for compare-and-set', () => {
    const entries: StateEntries = new Map([['lease', { value: 'dead-owner', expiresAtInMs: 5 }]]);
    expect(
      applyStateOperation({
        entries,
        nowInMs: 6,
        operation: { kind: 'compare-and-set', key: 'lease', expected: undefined, value: 'me' },
      }),
    ).toBe(true);
  });

  it('prunes only expired entries', () => {
    const entries: StateEntries = new Map([
      ['old', { value: 'a', expiresAtInMs: 5 }],
      ['new', { value: 'b', expiresAtInMs: 500 }],
      ['forever', { value: 'c' }],
    ]);
    pruneExpiredStateEntries({ entries, nowInMs: 10 });
    expect([...entries.keys()]).toEqual(['new', 'forever']);
  });
});
