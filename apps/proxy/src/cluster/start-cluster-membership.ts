import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { StateStore } from '@qwen-relay/state-store';
import type { AccountRegistry } from '../accounts/create-account-registry';
import type { ProxyConfig } from '../config/proxy-config';
import type { Logger } from '../logging/create-logger';
import type { ProxyMetrics } from '../metrics/create-proxy-metrics';
import { PROXY_VERSION } from '../version';
import { createClusterAccountRegistry } from './create-cluster-account-registry';
import { startReplicaHeartbeat } from './create-replica-heartbeat';

// how long start-up waits for the first Redis connection before serving without its accounts
const CONNECT_WAIT_IN_MS = 5_000;

/** This replica's part in the cluster: its id, its accounts and its heartbeat. */
export interface ClusterMembership {
  readonly replicaId: string;
  readonly accounts: AccountRegistry;
  /** stops the heartbeat (the registry is closed with the other accounts) */
  close(): Promise<void>;
}

/**
 * Joins the cluster on the shared store (REDIS_URL): a replica id (`host-pid-random`), the
 * cluster's accounts with lease-guarded OAuth refreshes, and a heartbeat every 5 s that
 * `qwen-relay cluster status` lists. Shared refreshes are logged and counted like local ones.
 */
export async function startClusterMembership({
  config,
  store,
  logger,
  metrics,
  port,
}: {
  config: ProxyConfig;
  store: StateStore;
  logger: Logger;
  metrics: ProxyMetrics;
  port: number;
}): Promise<ClusterMembership> {
  const replicaId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  logger.info('Cluster mode: state and OAuth credentials on Redis', {
    replicaId,
    keyPrefix: config.redis?.keyPrefix,
  });
  // the first connection: the accounts come from Redis, so give it a moment before serving
  const connectDeadline = Date.now() + CONNECT_WAIT_IN_MS;
  while (!store.status().available && Date.now() < connectDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (!store.status().available) {
    logger.warn('Redis is not reachable yet; starting without the cluster accounts', {
      reason: store.status().reason,
    });
  }
  const accounts = await createClusterAccountRegistry({
    config,
    store,
    replicaId,
    logger,
    onSharedEvent: (event) => {
      switch (event.type) {
        case 'shared-refresh-started':
          logger.info('Refreshing Qwen access token...', { accountId: event.accountId, replicaId });
          return;
        case 'shared-refresh-succeeded':
          metrics.tokenRefreshes.inc({ account: event.accountId, outcome: 'ok' });
          logger.info('Qwen access token refreshed successfully', {
            accountId: event.accountId,
            version: event.version,
            durationInMs: event.durationInMs,
          });
          return;
        case 'shared-token-adopted':
          metrics.tokenRefreshes.inc({ account: event.accountId, outcome: 'adopted' });
          logger.debug('Adopted the token another replica refreshed', {
            accountId: event.accountId,
            version: event.version,
            source: event.source,
          });
          return;
        case 'shared-refresh-failed':
          metrics.tokenRefreshes.inc({ account: event.accountId, outcome: 'failed' });
          logger.warn('Cluster token refresh failed', {
            accountId: event.accountId,
            message: event.message,
          });
          return;
        case 'shared-record-restored':
          logger.warn('Wrote the credentials back to Redis, which had lost them', {
            accountId: event.accountId,
            version: event.version,
          });
          return;
        case 'shared-needs-reauth':
          logger.error(
            'The refresh token was rejected: log in again and run `qwen-relay cluster import`',
            { accountId: event.accountId },
          );
          return;
        default:
          // exhaustive: an event added to the shared token source does not compile until it
          // gets its log line and metric here
          ignoreUnknownSharedEvent(event);
      }
    },
  });
  const heartbeat = startReplicaHeartbeat({
    store,
    replicaId,
    version: PROXY_VERSION,
    listen: `${config.host}:${port}`,
  });
  return {
    replicaId,
    accounts,
    close: () => heartbeat.stop(),
  };
}

// `never` at compile time (the switch is exhaustive)
function ignoreUnknownSharedEvent(_event: never): void {}
