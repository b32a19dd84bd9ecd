import type { AccountReport } from '../accounts/account-report';
import { formatAccountFlag } from '../accounts/parse-account-name';
import { formatLoginCommand } from '../errors/format-error-for-user';
import { formatDuration, formatRelativeTime } from '../output/format-duration';
import { createDoctorCheck, type DoctorCheck } from './doctor-check';

const STALE_LOCK_CAUSES: Record<
  NonNullable<NonNullable<AccountReport['lock']>['staleReason']>,
  string
> = {
  expired: 'left by a process that stopped mid-refresh',
  'future-mtime': 'its modification time is in the future (clock skew)',
  'dangling-symlink': 'a symlink to nothing',
  'dead-owner': 'left by a qwen-relay process that is no longer running',
};

/**
 * Per account, from its status report: are the credentials present and parseable, how long
 * is the token valid, and is its lock stale.
 */
export function checkAccounts({
  reports,
  nowInMs,
}: {
  reports: readonly AccountReport[];
  nowInMs: number;
}): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  for (const report of reports) {
    if (report.source !== 'oauth-file') continue;
    const { accountId, credentialsPath = '' } = report;
    const login = formatLoginCommand(accountId);
    if (report.state === 'missing') {
      checks.push(
        createDoctorCheck({
          id: 'credentials',
          status: 'fail',
          message: `${accountId}: no credentials at ${credentialsPath}`,
          fix: `run \`${login}\``,
        }),
      );
      continue;
    }
    if (report.state === 'corrupt') {
      checks.push(
        createDoctorCheck({
          id: 'credentials',
          status: 'fail',
          message: `${accountId}: ${credentialsPath} is unusable: ${report.problem ?? 'not valid credentials JSON'}`,
          fix: `move it aside (e.g. \`qwen-relay auth logout${formatAccountFlag(accountId)} --yes\`) and run \`${login}\``,
        }),
      );
      continue;
    }
    checks.push(
      createDoctorCheck({
        id: 'credentials',
        status: 'ok',
        message: `${accountId}: credentials present and parseable (${credentialsPath})`,
      }),
    );
    if (report.state === 'unwritable' || report.state === 'unsaved') {
      checks.push(
        createDoctorCheck({
          id: 'credentials-write',
          status: 'fail',
          message: `${accountId}: ${report.message ?? 'credentials cannot be saved'}`,
          fix:
            report.state === 'unsaved'
              ? 'free disk space or fix the permissions of the file before the proxy stops; it retries the write by itself'
              : 'make the directory writable by this user, or set QWEN_DIR to a writable directory',
        }),
      );
    }
    const expiry =
      report.expiresAtInMs === undefined
        ? 'unknown expiry'
        : `expires ${formatRelativeTime({ atInMs: report.expiresAtInMs, nowInMs })}`;
    if (report.state === 'needs-reauth') {
      checks.push(
        createDoctorCheck({
          id: 'token-expiry',
          status: 'fail',
          message: `${accountId}: the refresh token was rejected`,
          fix: `run \`${login}\``,
        }),
      );
    } else if (report.state === 'expired') {
      checks.push(
        createDoctorCheck({
          id: 'token-expiry',
          status: 'warn',
          message: `${accountId}: access token ${expiry.replace('expires', 'expired')}`,
          fix: `run \`qwen-relay auth refresh${formatAccountFlag(accountId)}\` (serve also refreshes it on first use)`,
        }),
      );
    } else {
      checks.push(
        createDoctorCheck({
          id: 'token-expiry',
          status: 'ok',
          message: `${accountId}: access token ${expiry}`,
        }),
      );
    }
    if (report.lock?.state === 'stale') {
      const age =
        report.lock.ageInMs === undefined
          ? ''
          : ` (untouched for ${formatDuration(report.lock.ageInMs)})`;
      checks.push(
        createDoctorCheck({
          id: 'lock',
          status: 'warn',
          message: `${accountId}: stale lock ${report.lock.path}${age}, ${STALE_LOCK_CAUSES[report.lock.staleReason ?? 'expired']}`,
          fix: `the next refresh removes it; or remove it now with \`rm '${report.lock.path}'\``,
        }),
      );
    } else if (report.lock?.state === 'held') {
      checks.push(
        createDoctorCheck({
          id: 'lock',
          status: 'ok',
          message: `${accountId}: lock held (a refresh is in progress)`,
        }),
      );
    }
  }
  return checks;
}
