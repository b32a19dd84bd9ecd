import { describe, expect, it } from 'vitest';
import { applyStateOperation, pruneExpiredStateEntries, type StateEntries } from './state-entries';

describe('applyStateOperation', () => {
  it('gives an increment without expiry the expiry of a later ttl (PEXPIRE NX)', () => {
    const entries: StateEntries = new Map();
    applyStateOperation({ entries, nowInMs: 0, operation: { kind: 'increment', key: 'k', by: 1 } });
    applyStateOperation({
      entries,
      nowInMs: 10,
      operation: { kind: 'increment', key: 'k', by: 1, ttlInMs: 100 },
    });
    expect(entries.get('k')).toEqual({ value: '2', expiresAtInMs: 110 });
  });

  it('counts an expired counter from zero with a new expiry', () => {
    const entries: StateEntries = new Map([['k', { value: '7', expiresAtInMs: 50 }]]);
    const next = applyStateOperation({
      entries,
      nowInMs: 60,
      operation: { kind: 'increment', key: 'k', by: 2, ttlInMs: 100 },
    });
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
