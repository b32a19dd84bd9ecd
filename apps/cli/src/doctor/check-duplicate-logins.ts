import { ROTATING_REFRESH_TOKEN_WARNING } from '../commands/auth-import';
import { createDoctorCheck, type DoctorCheck } from './doctor-check';

/** The token fields of one account's credentials; never printed, only compared. */
export interface AccountTokens {
  accountId: string;
  accessToken: string;
  refreshToken: string;
}

/**
 * Finds accounts that hold the same login (same refresh token, or same access token: a
 * copy made before or after a refresh). Such copies log each other out when one refreshes.
 */
export function checkDuplicateLogins({
  accounts,
}: {
  accounts: readonly AccountTokens[];
}): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  for (let first = 0; first < accounts.length; first += 1) {
    for (let second = first + 1; second < accounts.length; second += 1) {
      const a = accounts[first]!;
      const b = accounts[second]!;
      const shared =
        a.refreshToken === b.refreshToken
          ? 'refresh token'
          : a.accessToken === b.accessToken
            ? 'access token'
            : undefined;
      if (shared === undefined) continue;
      const named = a.accountId === 'default' ? b.accountId : a.accountId;
      checks.push(
        createDoctorCheck({
          id: 'duplicate-login',
          status: 'fail',
          message: `accounts "${a.accountId}" and "${b.accountId}" hold the same login (same ${shared}). ${ROTATING_REFRESH_TOKEN_WARNING}`,
          fix: `keep one: \`qwen-relay auth remove ${named}\` (keeps a backup), then \`qwen-relay auth login --account ${named}\` for a login of its own`,
        }),
      );
    }
  }
  if (checks.length === 0 && accounts.length > 1) {
    checks.push(
      createDoctorCheck({
        id: 'duplicate-login',
        status: 'ok',
        message: `the ${accounts.length} accounts hold distinct logins`,
      }),
    );
  }
  return checks;
}
