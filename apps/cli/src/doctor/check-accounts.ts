import type { AccountReport } from '../accounts/account-report';
import { formatAccountFlag } from '../accounts/parse-account-name';
import { formatLoginCommand } from '../errors/format-error-for-user';
import { formatDuration, formatRelativeTime } from '../output/format-duration';
import { createDoctorCheck, type DoctorCheck } from './doctor-check';

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
          message: `${accountId}: stale lock ${report.lock.path}${age}, left by a process that stopped mid-refresh`,
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
