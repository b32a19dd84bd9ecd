import { ACCOUNT_STATE_LABELS } from '../accounts/account-report';
import { collectAccountReports } from '../accounts/collect-account-reports';
import { EXIT_CODES } from '../errors/exit-codes';
import { formatRelativeTime } from '../output/format-duration';
import { formatStateMark } from '../output/render-account-report';
import type { CommandContext } from './command-context';

/** `qwen-relay auth list`: one line per account that has a credentials file. */
export async function runAuthList({
  json = false,
  ...context
}: CommandContext & { json?: boolean }) {
  const nowInMs = context.now();
  const { reports } = await collectAccountReports({
    qwenDir: context.qwenDir,
    oauthBaseUrl: context.oauthBaseUrl,
    env: {},
    now: context.now,
  });
  // OAuth logins only: keys are listed by `qwen-relay keys list`
  const present = reports.filter(
    (report) => report.source === 'oauth-file' && report.state !== 'missing',
  );
  if (json) {
    const accounts = present.map(({ accountId, credentialsPath, state }) => ({
      accountId,
      credentialsPath,
      state,
    }));
    context.stdout.write(`${JSON.stringify({ qwenDir: context.qwenDir, accounts }, null, 2)}\n`);
    return EXIT_CODES.ok;
  }
  if (present.length === 0) {
    context.stdout.write(
      `No accounts in ${context.qwenDir} yet. Log in with \`qwen-relay auth login\` (or \`auth add NAME\`).\n`,
    );
    return EXIT_CODES.ok;
  }
  const width = Math.max(...present.map((report) => report.accountId.length));
  for (const report of present) {
    const expiry =
      report.expiresAtInMs === undefined
        ? ''
        : `, expires ${formatRelativeTime({ atInMs: report.expiresAtInMs, nowInMs })}`;
    context.stdout.write(
      `${formatStateMark({ state: report.state, colors: context.colors })} ${report.accountId.padEnd(width)}  ` +
        `${ACCOUNT_STATE_LABELS[report.state]}${expiry}  ${context.colors.dim(report.credentialsPath ?? '')}\n`,
    );
  }
  return EXIT_CODES.ok;
}
