import { readCredentialsFile } from '@qwen-relay/token-manager';
import { collectAccountReports } from '../accounts/collect-account-reports';
import {
  applyRunningProxyStates,
  readRunningProxyAccounts,
} from '../accounts/read-running-proxy-states';
import { checkAccounts } from '../doctor/check-accounts';
import { checkApiEndpoints } from '../doctor/check-api-endpoints';
import { type AccountTokens, checkDuplicateLogins } from '../doctor/check-duplicate-logins';
import { checkFileModes } from '../doctor/check-file-modes';
import { checkOAuthServer } from '../doctor/check-oauth-server';
import { checkPort } from '../doctor/check-port';
import type { DoctorCheck } from '../doctor/doctor-check';
import { renderDoctorChecks } from '../doctor/render-doctor-checks';
import { EXIT_CODES } from '../errors/exit-codes';
import type { CommandContext } from './command-context';

/** Options of {@link runDoctor}. */
export interface DoctorOptions {
  json?: boolean;
  /** where `serve` would listen (default PORT/HOST, else 8080 on 127.0.0.1) */
  port?: number;
  host?: string;
  /** per network probe (default 3 s) */
  timeoutInMs?: number;
}

/**
 * `qwen-relay doctor`: checks credentials, file modes, expiry, locks, duplicated logins, the
 * clock, reachability and the port, one line each with a fix. Exits 1 when a check fails
 * (warnings alone exit 0). Reads only; never changes a file.
 */
export async function runDoctor({
  json = false,
  port,
  host,
  timeoutInMs = 3_000,
  ...context
}: CommandContext & DoctorOptions): Promise<number> {
  const { qwenDir, now } = context;
  const { reports: fileReports } = await collectAccountReports({
    qwenDir,
    oauthBaseUrl: context.oauthBaseUrl,
    env: context.env,
    now,
  });
  const listenPort = port ?? Number(context.env.PORT ?? 8080);
  const listenHost = host ?? context.env.HOST ?? '127.0.0.1';
  // a proxy already running there may hold refreshed credentials it could not write
  const proxyUrl = `http://${listenHost === '0.0.0.0' || listenHost === '::' ? '127.0.0.1' : listenHost.includes(':') ? `[${listenHost}]` : listenHost}:${listenPort}`;
  const proxyAccounts = await readRunningProxyAccounts({ proxyUrl });
  const reports =
    proxyAccounts === undefined
      ? fileReports
      : applyRunningProxyStates({ reports: fileReports, proxyAccounts, proxyUrl });
  const present = reports.filter(
    (report) =>
      report.source === 'oauth-file' && report.state !== 'missing' && report.state !== 'corrupt',
  );
  const tokens: AccountTokens[] = [];
  for (const report of present) {
    try {
      const credentials = await readCredentialsFile(report.credentialsPath ?? '');
      tokens.push({
        accountId: report.accountId,
        accessToken: credentials.access_token,
        refreshToken: credentials.refresh_token,
      });
    } catch {
      // changed since the report; the account check already describes it
    }
  }
  const endpoints = reports.flatMap((report) =>
    report.endpoint === undefined ? [] : [report.endpoint],
  );
  const [oauthChecks, apiChecks, portCheck] = await Promise.all([
    checkOAuthServer({ oauthBaseUrl: context.oauthBaseUrl, timeoutInMs, now }),
    checkApiEndpoints({ endpoints, timeoutInMs, now }),
    checkPort({ host: listenHost, port: listenPort }),
  ]);
  const checks: DoctorCheck[] = [
    ...checkAccounts({ reports, nowInMs: now() }),
    ...(await checkFileModes({
      qwenDir,
      // every file that exists, corrupt ones included: a broken file can still leak a token
      credentialsPaths: reports.flatMap((report) =>
        report.state === 'missing' || report.credentialsPath === undefined
          ? []
          : [report.credentialsPath],
      ),
    })),
    ...checkDuplicateLogins({ accounts: tokens }),
    ...oauthChecks,
    ...apiChecks,
    portCheck,
  ];
  const exitCode = checks.some((check) => check.status === 'fail')
    ? EXIT_CODES.failure
    : EXIT_CODES.ok;
  if (json) {
    context.stdout.write(`${JSON.stringify({ qwenDir, ok: exitCode === 0, checks }, null, 2)}\n`);
  } else {
    context.stdout.write(renderDoctorChecks({ checks, colors: context.colors }));
  }
  return exitCode;
}
