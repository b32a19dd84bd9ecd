import { describe, expect, it } from 'vitest';
import { formatAccountFlag, parseAccountName, resolveAccountId } from './parse-account-name';

describe('parseAccountName', () => {
  it.each(['work', 'Team_2', 'a.b-c'])('accepts %s', (name) => {
    expect(parseAccountName(name)).toBe(name);
  });
  it.each(['', '../x', 'a/b', '-flag', 'x'.repeat(65), 'sp ace'])('rejects %j', (name) => {
    expect(() => parseAccountName(name)).toThrow(/not a valid account name/);
  });
});

describe('resolveAccountId', () => {
  it('defaults to the qwen-code file', () => {
    expect(resolveAccountId(undefined)).toBe('default');
    expect(formatAccountFlag('default')).toBe('');
    expect(formatAccountFlag('work')).toBe(' --account work');
  });
});
