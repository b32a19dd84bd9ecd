import { describe, expect, it } from 'vitest';
import { assessReadiness } from './assess-readiness';
import type { AccountView } from './describe-accounts';

const ok: AccountView = {
  accountId: 'default',
  type: 'qwen-oauth',
  authType: 'qwen-oauth',
  state: 'ok',
};

describe('assessReadiness', () => {
  it('is ready with one account that can serve', () => {
    expect(
      assessReadiness({
        accounts: [{ ...ok, accountId: 'a', state: 'needs-reauth' }, ok],
        draining: false,
      }),
    ).toEqual({ ready: true, usableAccounts: 1 });
  });

  it('is not ready while draining, whatever the accounts', () => {
    expect(assessReadiness({ accounts: [ok], draining: true })).toMatchObject({
      ready: false,
      reason: 'draining',
    });
  });

  it('names each account state when none can serve, cooling down included', () => {
    const readiness = assessReadiness({
      accounts: [
        { ...ok, accountId: 'default', state: 'needs-reauth' },
        {
          ...ok,
          accountId: 'work',
          coolingDownUntil: '2026-12-01T06:00:00.000Z',
          cooldownReason: 'quota',
        },
      ],
      draining: false,
    });
    expect(readiness).toEqual({
      ready: false,
      reason: 'no-usable-account',
      message:
        'No account can serve a request now (default: needs-reauth, work: cooling down (quota)).',
    });
  });
});
