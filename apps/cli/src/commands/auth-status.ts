import { collectAccountReports } from '../accounts/collect-account-reports';
import { computeStatusExitCode } from '../accounts/compute-status-exit-code';
import { resolveAccountId } from '../accounts/parse-account-name';
import {
  applyRunningProxyStates,
  readRunningProxyAccounts,
  resolveDefaultProxyUrl,
} from '../accounts/read-running-proxy-states';
import { convertAccountReportToJson, renderAccountReport } from '../output/render-account-report';
import type { CommandContext } from './command-context';

/**
 * `qwen-relay auth status`: each account's type, source, state, expiry, endpoint and lock, plus what a
 * proxy running at `proxyUrl` (default 127.0.0.1:PORT or 8080) holds only in memory (`unsaved`).
 * Exits 0 when every account is usable, otherwise with the code of the worst state (see
 * EXIT_CODES).
 */
export async function runAuthStatus({
  account,
  json = false,
  proxyUrl,
  ...context
}: CommandContext & { account?: string; json?: boolean; proxyUrl?: string }): Promise<number> {
  const nowInMs = context.now();
  const { reports: fileReports } = await collectAccountReports({
    qwenDir: context.qwenDir,
    oauthBaseUrl: context.oauthBaseUrl,
    env: context.env,
    now: context.now,
    ...(account === undefined ? {} : { accountId: resolveAccountId(account) }),
  });
  const askedProxyUrl = proxyUrl ?? resolveDefaultProxyUrl(context.env);
  const proxyAccounts = await readRunningProxyAccounts({ proxyUrl: askedProxyUrl });
  const reports =
    proxyAccounts === undefined
      ? fileReports
      : applyRunningProxyStates({ reports: fileReports, proxyAccounts, proxyUrl: askedProxyUrl });
  const exitCode = computeStatusExitCode({ reports });
  if (json) {
    const accounts = reports.map((report) => convertAccountReportToJson({ report, nowInMs }));
    context.stdout.write(
      `${JSON.stringify({ qwenDir: context.qwenDir, usable: exitCode === 0, exitCode, accounts }, null, 2)}\n`,
    );
    return exitCode;
  }
  context.stdout.write(
    reports
      .map((report) => renderAccountReport({ report, colors: context.colors, nowInMs }))
      .join('\n'),
  );
  return exitCode;
}
