import { basename } from 'node:path';
import type { ProxyContext } from '../server/proxy-context';
import { assessReadiness } from './assess-readiness';
import { AT_RISK_STATES, describeAccounts, isAccountServing } from './describe-accounts';

/** The body of GET /status.json: what the status page shows, never a token or key. */
export interface StatusSnapshot {
  service: 'qwen-relay';
  status: 'ok' | 'degraded';
  ready: boolean;
  notReadyReason?: string;
  draining: boolean;
  /** the proxy's clock, so the page counts down against it rather than the browser's */
  serverTime: string;
  uptimeSeconds: number;
  streamsInFlight: number;
  accounts: Array<
    Omit<ReturnType<typeof describeAccounts>[number], 'credentialsPath'> & {
      credentialsFile?: string;
    }
  >;
  /** API requests (not probes, metrics or this page) and errors per minute, oldest first */
  traffic: { minutes: Array<{ startedAt: string; requests: number; errors: number }> };
}

/** Collects the status page's data from the running proxy at `nowInMs`. */
export function createStatusSnapshot({
  context,
  nowInMs,
}: {
  context: ProxyContext;
  nowInMs: number;
}): StatusSnapshot {
  const described = describeAccounts(context);
  const draining = context.isDraining();
  const readiness = assessReadiness({ accounts: described, draining });
  return {
    service: 'qwen-relay',
    // as /health: credentials at risk make the proxy degraded even while it serves
    status:
      described.some(isAccountServing) &&
      !described.some((account) => AT_RISK_STATES.has(account.state))
        ? 'ok'
        : 'degraded',
    ready: readiness.ready,
    ...(readiness.ready ? {} : { notReadyReason: readiness.message }),
    draining,
    serverTime: new Date(nowInMs).toISOString(),
    uptimeSeconds: Math.round((nowInMs - context.startedAtInMs) / 1000),
    streamsInFlight: context.streamsInFlight,
    // the file name says which login it is; the full path would tell the home directory
    accounts: described.map(({ credentialsPath, ...account }) => ({
      ...account,
      ...(credentialsPath === undefined ? {} : { credentialsFile: basename(credentialsPath) }),
    })),
    traffic: {
      minutes: context.trafficHistory.list({ nowInMs }).map((minute) => ({
        startedAt: new Date(minute.startedAtInMs).toISOString(),
        requests: minute.requests,
        errors: minute.errors,
      })),
    },
  };
}
