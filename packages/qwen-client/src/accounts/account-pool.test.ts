import type { QwenClientEvent, TokenSource } from '@qwen-relay/contracts';
import { describe, expect, it } from 'vitest';
import { createAccountPool } from './account-pool';

const account = (accountId: string): TokenSource => ({
  accountId,
  getAccessToken: async () => ({ accessToken: accountId, authType: 'api-key' }),
  invalidate: async (token) => token,
});

describe('createAccountPool', () => {
  it('lets a ranking choose among usable accounts, each offered once in rotation order', () => {
    let clock = 0;
    const pool = createAccountPool({
      accounts: [account('a'), account('b'), account('c')],
      now: () => clock,
    });
    pool.coolDown({ accountId: 'b', reason: 'requests-per-minute', durationInMs: 1_000 });
    const offered: string[][] = [];
    const chosen = pool.select({
      rank: (candidates) => {
        offered.push(candidates.map((candidate) => candidate.accountId));
        return [...candidates].reverse();
      },
    });
    expect(offered).toEqual([['a', 'c']]);
    expect(chosen?.accountId).toBe('c');
    // nothing ranked (all predicted spent): nothing selected, though accounts are healthy
    expect(pool.select({ rank: () => [] })).toBeUndefined();
    expect(pool.listUsable().map((candidate) => candidate.accountId)).toEqual(['a', 'c']);
    clock = 2_000;
    expect(pool.listUsable().map((candidate) => candidate.accountId)).toEqual(['a', 'b', 'c']);
  });

  it('gives weights their share, interleaved (smooth weighted round-robin)', () => {
    const weighted = (accountId: string, weight: number) => ({
      ...account(accountId),
      profile: { type: 'standard' as const, weight },
    });
    const pool = createAccountPool({ accounts: [weighted('a', 2), weighted('b', 1)] });
    expect([1, 2, 3, 4, 5, 6].map(() => pool.select()?.accountId)).toEqual([
      'a',
      'b',
      'a',
      'a',
      'b',
      'a',
    ]);
  });

  it('selects only accounts `accept` takes, and reports recovery among those only', () => {
    let clock = 0;
    const pool = createAccountPool({
      accounts: [account('a'), account('b'), account('c')],
      now: () => clock,
    });
    const notA = (candidate: TokenSource) => candidate.accountId !== 'a';
    expect([1, 2, 3].map(() => pool.select({ accept: notA })?.accountId)).toEqual(['b', 'c', 'b']);
    pool.coolDown({ accountId: 'a', durationInMs: 10, reason: 'requests-per-minute' });
    pool.coolDown({ accountId: 'b', durationInMs: 50, reason: 'requests-per-minute' });
    pool.coolDown({ accountId: 'c', durationInMs: 80, reason: 'requests-per-minute' });
    expect(pool.hasAvailable({ accept: notA })).toBe(false);
    expect(pool.getEarliestRecoveryInMs({ accept: notA })).toBe(50);
    expect(pool.getEarliestRecoveryInMs()).toBe(10);
    clock = 20;
    expect(pool.select({ accept: notA })).toBeUndefined();
    expect(pool.select()?.accountId).toBe('a');
  });

  it('rotates round-robin', () => {
    const pool = createAccountPool({ accounts: [account('a'), account('b'), account('c')] });
    expect([1, 2, 3, 4].map(() => pool.select()?.accountId)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('uses the preferred account first while it is healthy', () => {
    let clock = 0;
    const pool = createAccountPool({
      accounts: [account('a'), account('b'), account('c')],
      preferredAccountId: 'b',
      now: () => clock,
    });
    expect([1, 2].map(() => pool.select()?.accountId)).toEqual(['b', 'b']);
    pool.coolDown({ accountId: 'b', durationInMs: 100, reason: 'tokens-per-minute' });
    expect([1, 2].map(() => pool.select()?.accountId)).toEqual(['a', 'c']);
    clock = 100;
    expect(pool.select()?.accountId).toBe('b');
  });

  it('skips excluded and cooling accounts; a cooldown heals by time alone', () => {
    let clock = 1000;
    const events: QwenClientEvent[] = [];
    const pool = createAccountPool({
      accounts: [account('a'), account('b')],
      now: () => clock,
      onEvent: (event) => events.push(event),
    });
    pool.coolDown({ accountId: 'a', durationInMs: 500, reason: 'requests-per-minute' });
    expect(pool.select({ exclude: new Set(['b']) })).toBeUndefined();
    expect(pool.hasAvailable({ exclude: new Set(['b']) })).toBe(false);
    expect(pool.getStates()).toEqual([
      { accountId: 'a', coolingDownUntilInMs: 1500, reason: 'requests-per-minute' },
      { accountId: 'b' },
    ]);
    clock = 1500;
    expect(pool.select({ exclude: new Set(['b']) })?.accountId).toBe('a');
    expect(events.map((event) => event.type)).toEqual(['account-cooldown', 'account-recovered']);
    expect(events[1]).toMatchObject({ after: 'expired' });
  });

  it('clears a cooldown on success and reports the earliest recovery', () => {
    const clock = 0;
    const pool = createAccountPool({ accounts: [account('a'), account('b')], now: () => clock });
    pool.coolDown({ accountId: 'a', durationInMs: 3000, reason: 'tokens-per-minute' });
    pool.coolDown({ accountId: 'b', durationInMs: 2000, reason: 'requests-per-minute' });
    expect(pool.select()).toBeUndefined();
    expect(pool.getEarliestRecoveryInMs()).toBe(2000);
    pool.markSuccess('a');
    expect(pool.getStates()[0]).toEqual({ accountId: 'a' });
    expect(pool.select()?.accountId).toBe('a');
  });

  it('keeps the longer of two overlapping cooldowns', () => {
    const pool = createAccountPool({ accounts: [account('a')], now: () => 0 });
    pool.coolDown({ accountId: 'a', durationInMs: 3_600_000, reason: 'tokens-per-minute' });
    pool.coolDown({ accountId: 'a', durationInMs: 60_000, reason: 'requests-per-minute' });
    expect(pool.getStates()[0]).toMatchObject({
      reason: 'tokens-per-minute',
      coolingDownUntilInMs: 3_600_000,
    });
  });

  it('rejects duplicate account lists; an empty one starts empty (a replica before the import)', () => {
    expect(() => createAccountPool({ accounts: [account('a'), account('a')] })).toThrow(TypeError);
    const pool = createAccountPool({ accounts: [] });
    expect(pool.select()).toBeUndefined();
    pool.setAccounts([account('a')]);
    expect(pool.select()?.accountId).toBe('a');
  });
});

describe('createAccountPool: quota escalation and setAccounts', () => {
  it('escalates consecutive quota cooldowns, reports expired ones as healthy, resets on success', () => {
    let clock = 0;
    const pool = createAccountPool({
      accounts: [account('a')],
      now: () => clock,
      cooldowns: { quotaInMs: 1_000, quotaMaxInMs: 3_000 },
    });
    expect(pool.coolDown({ accountId: 'a', reason: 'tokens-per-minute' })).toBe(1_000);
    clock = 1_000;
    expect(pool.getStates()).toEqual([{ accountId: 'a' }]);
    expect(pool.getEarliestRecoveryInMs()).toBeUndefined();
    expect(pool.coolDown({ accountId: 'a', reason: 'tokens-per-minute' })).toBe(3_000);
    clock = 3_000;
    expect(pool.coolDown({ accountId: 'a', reason: 'tokens-per-minute' })).toBe(6_000);
    clock = 6_000;
    expect(pool.getStates()).toEqual([{ accountId: 'a' }]);
    pool.markSuccess('a');
    expect(pool.coolDown({ accountId: 'a', reason: 'tokens-per-minute' })).toBe(7_000);
    // upstream's Retry-After wins over the default
    expect(
      pool.coolDown({ accountId: 'a', reason: 'tokens-per-minute', durationInMs: 50_000 }),
    ).toBe(56_000);
  });

  it('setAccounts keeps the state of kept ids, forgets removed ones and adds healthy new ones', () => {
    let clock = 0;
    const pool = createAccountPool({
      accounts: [account('a'), account('b'), account('c')],
      now: () => clock,
    });
    pool.coolDown({ accountId: 'a', reason: 'tokens-per-minute' });
    pool.coolDown({ accountId: 'c', reason: 'requests-per-minute', durationInMs: 500 });
    expect(pool.select()?.accountId).toBe('b');

    pool.setAccounts([account('c'), account('a'), account('d')]);

    expect(pool.getStates()).toEqual([
      { accountId: 'c', coolingDownUntilInMs: 500, reason: 'requests-per-minute' },
      { accountId: 'a', coolingDownUntilInMs: 60_000, reason: 'tokens-per-minute' },
      { accountId: 'd' },
    ]);
    expect([1, 2].map(() => pool.select()?.accountId)).toEqual(['d', 'd']);
    // a late report about a removed account changes nothing
    expect(pool.coolDown({ accountId: 'b', reason: 'auth' })).toBeUndefined();
    pool.setAccounts([account('b'), account('c')]);
    expect(pool.getStates()[0]).toEqual({ accountId: 'b' });
    clock = 500;
    // c kept its place in the round-robin and its cooldown expired
    expect([1, 2, 3].map(() => pool.select()?.accountId)).toEqual(['c', 'b', 'c']);
  });

  it('setAccounts keeps the quota escalation of a kept account', () => {
    let clock = 0;
    const pool = createAccountPool({ accounts: [account('a')], now: () => clock });
    pool.coolDown({ accountId: 'a', reason: 'tokens-per-minute' });
    clock = 60_000;
    pool.setAccounts([account('a'), account('b')]);
    expect(pool.coolDown({ accountId: 'a', reason: 'tokens-per-minute' })).toBe(60_000 + 120_000);
  });

  it('setAccounts accepts an empty list and rejects duplicates', () => {
    const pool = createAccountPool({ accounts: [account('a')] });
    pool.setAccounts([]);
    expect(pool.select()).toBeUndefined();
    expect(pool.getStates()).toEqual([]);
    expect(() => pool.setAccounts([account('x'), account('x')])).toThrow(TypeError);
    expect(pool.getStates()).toEqual([]);
    pool.setAccounts([account('a')]);
    expect(pool.select()?.accountId).toBe('a');
  });
});
