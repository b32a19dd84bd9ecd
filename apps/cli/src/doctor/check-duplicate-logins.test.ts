import { describe, expect, it } from 'vitest';
import { checkDuplicateLogins } from './check-duplicate-logins';

describe('checkDuplicateLogins', () => {
  it('flags the same refresh token and the same access token, without printing either', () => {
    const checks = checkDuplicateLogins({
      accounts: [
        { accountId: 'default', accessToken: 'secret-a1', refreshToken: 'secret-r1' },
        { accountId: 'copy', accessToken: 'secret-a2', refreshToken: 'secret-r1' },
        { accountId: 'other', accessToken: 'secret-a1', refreshToken: 'secret-r3' },
      ],
    });
    expect(checks.map((check) => check.status)).toEqual(['fail', 'fail']);
    expect(checks[0]?.message).toMatch(
      /"default" and "copy" hold the same login \(same refresh token\)/,
    );
    expect(checks[1]?.message).toMatch(
      /"default" and "other" hold the same login \(same access token\)/,
    );
    expect(JSON.stringify(checks)).not.toMatch(/secret-/);
    expect(checks[0]?.fix).toContain('qwen-relay auth remove copy');
  });

  it('is ok with distinct logins', () => {
    const checks = checkDuplicateLogins({
      accounts: [
        { accountId: 'default', accessToken: 'a1', refreshToken: 'r1' },
        { accountId: 'work', accessToken: 'a2', refreshToken: 'r2' },
      ],
    });
    expect(checks).toEqual([expect.objectContaining({ status: 'ok' })]);
  });
});
