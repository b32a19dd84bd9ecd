import { createStateStore } from '@qwen-relay/state-store';
import type { ProxyConfig } from '../config/proxy-config';
import type { Logger } from '../logging/create-logger';
import type { ProxyMetrics } from '../metrics/create-proxy-metrics';
import { registerSchedulingMetrics } from '../metrics/register-scheduling-metrics';
import { createQuotaScheduling, type QuotaScheduling } from './create-quota-scheduling';

// one warning per minute at most while the store is failing: a down Redis must not flood logs
const STORE_WARNING_INTERVAL_IN_MS = 60_000;

/**
 * Opens the state store the configuration asks for (Redis in cluster mode, else the file store
 * in STATE_DIR), and the scheduling on top of it, with its metrics and log lines.
 */
export function startQuotaScheduling({
  config,
  logger,
  metrics,
  listAccountIds,
}: {
  config: ProxyConfig;
  logger: Logger;
  metrics: ProxyMetrics;
  listAccountIds: () => readonly string[];
}): QuotaScheduling {
  const store = createStateStore({
    directory: config.stateDir,
    redisUrl: config.redis?.url,
    redisPassword: config.redis?.password,
    redisKeyPrefix: config.redis?.keyPrefix,
    onWarning: (message) => logger.warn(message),
  });
  store.onStatusChange((status) => {
    if (status.available) logger.info('State store reachable again', { store: store.kind });
    else
      logger.warn('State store unavailable; counting per process meanwhile', {
        reason: status.reason,
      });
  });
  let lastWarningAtInMs = 0;
  let scheduling: QuotaScheduling | undefined;
  const schedulingMetrics = registerSchedulingMetrics({
    registry: metrics.registry,
    listAccountIds,
    getWindows: (accountId) => scheduling?.getWindows(accountId) ?? [],
    getStoreStatus: () => store.status(),
    storeKind: store.kind,
  });
  scheduling = createQuotaScheduling({
    store,
    onStoreError: (error) => {
      const nowInMs = Date.now();
      if (nowInMs - lastWarningAtInMs < STORE_WARNING_INTERVAL_IN_MS) return;
      lastWarningAtInMs = nowInMs;
      logger.warn('State store write failed; quota counts continue in this process', {
        error: error instanceof Error ? error.message : String(error),
      });
    },
    onLimit: ({ accountId, kind, window }) => {
      schedulingMetrics.upstreamLimits.inc({ account: accountId, kind });
      logger.info('Upstream limit reached', { accountId, kind, ...(window ? { window } : {}) });
    },
    onServed: ({ client, accountId, model, usage }) => {
      schedulingMetrics.recordServed({
        client,
        account: accountId,
        model,
        promptTokens: usage?.promptTokens ?? 0,
        completionTokens: usage?.completionTokens ?? 0,
        cachedTokens: usage?.cachedTokens ?? 0,
      });
    },
  });
  return scheduling;
}
