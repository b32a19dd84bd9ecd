import { get } from 'node:http';
import type { AccountReport } from './account-report';

/** What a running proxy's `/health` says about one account (the fields `auth status` uses). */
interface ProxyHealthAccount {
  credentialsPath?: string;
  state?: string;
  message?: string;
  unsaved?: { since?: string; errnoCode?: string; attempts?: number };
}

/** The proxy `auth status` asks by default: `http://127.0.0.1:<PORT or 8080>`. */
export function resolveDefaultProxyUrl(env: NodeJS.ProcessEnv): string {
  const port = Number(env.PORT);
  return `http://127.0.0.1:${Number.isInteger(port) && port > 0 ? port : 8080}`;
}

/**
 * The accounts of a proxy running at `proxyUrl`, from its `/health`; undefined when nothing
 * answers quickly (no proxy running is the usual case, not an error).
 */
export async function readRunningProxyAccounts({
  proxyUrl,
  timeoutInMs = 1_000,
}: {
  proxyUrl: string;
  timeoutInMs?: number;
}): Promise<ProxyHealthAccount[] | undefined> {
  let url: URL;
  try {
    url = new URL('/health', proxyUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:') return undefined;
  // a one-off socket, destroyed on timeout: whatever listens there must not be left holding it
  const text = await new Promise<string | undefined>((resolve) => {
    const request = get(url, { agent: false, timeout: timeoutInMs }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        resolve(undefined);
        return;
      }
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve(body));
      response.on('error', () => resolve(undefined));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
  if (text === undefined) return undefined;
  try {
    const body = JSON.parse(text) as { accounts?: unknown };
    return Array.isArray(body.accounts) ? (body.accounts as ProxyHealthAccount[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Marks as `unsaved` every OAuth account whose refreshed credentials the running proxy could
 * not write: only that process's memory holds the live refresh token, which the file cannot
 * show. Accounts are matched by credentials file, so a proxy serving another directory changes
 * nothing.
 */
export function applyRunningProxyStates({
  reports,
  proxyAccounts,
  proxyUrl,
}: {
  reports: readonly AccountReport[];
  proxyAccounts: readonly ProxyHealthAccount[];
  proxyUrl: string;
}): AccountReport[] {
  return reports.map((report) => {
    const running = proxyAccounts.find(
      (account) =>
        report.source === 'oauth-file' &&
        account.credentialsPath === report.credentialsPath &&
        account.state === 'unsaved',
    );
    if (!running) return report;
    return {
      ...report,
      state: 'unsaved',
      usable: true,
      message:
        running.message ??
        `The proxy at ${proxyUrl} could not save refreshed credentials to ${report.credentialsPath}.`,
      unsaved: {
        proxyUrl,
        since: running.unsaved?.since ?? '',
        errnoCode: running.unsaved?.errnoCode ?? 'unknown',
        attempts: running.unsaved?.attempts ?? 0,
      },
    };
  });
}
