import {
  ACCOUNT_STATE_LABELS,
  type AccountReport,
  type AccountReportState,
} from '../accounts/account-report';
import type { Colors } from './create-colors';
import { formatDuration, formatRelativeTime } from './format-duration';
import { formatLocalTime } from './format-local-time';

/** The mark and color of a state: green check, yellow bang, red cross. */
export function formatStateMark({
  state,
  colors,
}: {
  state: AccountReportState;
  colors: Colors;
}): string {
  if (state === 'valid') return colors.green('✓');
  if (state === 'expiring') return colors.yellow('!');
  return colors.red('✗');
}

/** "free", "held (3 s)", "stale (12 s)". */
export function formatLockState(lock: NonNullable<AccountReport['lock']>): string {
  const age = lock.ageInMs === undefined ? '' : ` for ${formatDuration(lock.ageInMs)}`;
  if (lock.state === 'held') return `held by another process${age}`;
  if (lock.state === 'stale') return `stale${age} (the next refresh removes it)`;
  return 'free';
}

/** "2026-11-22 14:05:09 (UTC+01:00), in 42 min". */
export function formatExpiry({
  expiresAtInMs,
  nowInMs,
}: {
  expiresAtInMs: number;
  nowInMs: number;
}) {
  return `${formatLocalTime(expiresAtInMs)}, ${formatRelativeTime({ atInMs: expiresAtInMs, nowInMs })}`;
}

/** The lines `auth status` prints for one account. */
export function renderAccountReport({
  report,
  colors,
  nowInMs,
}: {
  report: AccountReport;
  colors: Colors;
  nowInMs: number;
}): string {
  const label = ACCOUNT_STATE_LABELS[report.state];
  const stateColor =
    report.state === 'valid'
      ? colors.green
      : report.state === 'expiring'
        ? colors.yellow
        : colors.red;
  const lines = [
    `${formatStateMark({ state: report.state, colors })} ${colors.bold(report.accountId)}  ${stateColor(label)}`,
  ];
  const field = (name: string, value: string) =>
    lines.push(`    ${colors.dim(name.padEnd(9))}${value}`);
  field('type', report.type);
  field(
    'source',
    report.source === 'api-key'
      ? 'API key (QWEN_API_KEY)'
      : report.source === 'accounts-file'
        ? 'accounts file (QWEN_RELAY_ACCOUNTS)'
        : `OAuth file ${report.credentialsPath ?? ''}`,
  );
  if (report.expiresAtInMs !== undefined) {
    field('expires', formatExpiry({ expiresAtInMs: report.expiresAtInMs, nowInMs }));
  }
  if (report.endpoint !== undefined) field('endpoint', report.endpoint);
  if (report.lock !== undefined) field('lock', formatLockState(report.lock));
  if (report.message !== undefined) lines.push(`    ${colors.cyan('→')} ${report.message}`);
  return `${lines.join('\n')}\n`;
}

/** The JSON shape of a report: stable field names, ISO time next to epoch milliseconds. */
export function convertAccountReportToJson({
  report,
  nowInMs,
}: {
  report: AccountReport;
  nowInMs: number;
}) {
  return {
    ...report,
    ...(report.expiresAtInMs === undefined
      ? {}
      : {
          expiresAt: new Date(report.expiresAtInMs).toISOString(),
          secondsToExpiry: Math.floor((report.expiresAtInMs - nowInMs) / 1000),
        }),
  };
}
