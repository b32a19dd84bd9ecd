import { join } from 'node:path';
import { createFileStateStore, type StateStore } from '@qwen-relay/state-store';
import type { ProxyConfig } from '../config/proxy-config';
import type { Logger } from '../logging/create-logger';
import { createResponseStore, type ResponseStore } from './create-response-store';

// one warning per minute at most while writes fail: a down store must not flood logs
const STORE_WARNING_INTERVAL_IN_MS = 60_000;

/** The response store of a running proxy (absent when turned off) and how to close it. */
export interface StartedResponseStore {
  readonly responseStore?: ResponseStore;
  close(): Promise<void>;
}

/**
 * Opens the store behind `store: true` / `previous_response_id`: none when
 * RESPONSES_STORE_TTL_MS is 0; in cluster mode the scheduling's Redis store (so every replica
 * continues every conversation); otherwise a file store of its own in `STATE_DIR/responses`, so
 * conversations of up to RESPONSES_STORE_MAX_BYTES never make the quota counters' file heavy.
 */
export function startResponseStore({
  config,
  logger,
  schedulingStore,
}: {
  config: ProxyConfig;
  logger: Logger;
  schedulingStore: StateStore;
}): StartedResponseStore {
  const { ttlInMs, maxResponseBytes, maxEntries } = config.responsesStore;
  if (ttlInMs === 0) return { close: async () => undefined };
  const ownStore =
    schedulingStore.kind === 'file'
      ? createFileStateStore({
          directory: join(config.stateDir, 'responses'),
          onWarning: (message) => logger.warn(message),
        })
      : undefined;
  let lastWarningAtInMs = 0;
  const responseStore = createResponseStore({
    store: ownStore ?? schedulingStore,
    ttlInMs,
    maxResponseBytes,
    maxEntries,
    onStoreError: (error) => {
      const nowInMs = Date.now();
      if (nowInMs - lastWarningAtInMs < STORE_WARNING_INTERVAL_IN_MS) return;
      lastWarningAtInMs = nowInMs;
      logger.warn('Response store write failed; the response was answered but not kept', {
        error: error instanceof Error ? error.message : String(error),
      });
    },
  });
  return { responseStore, close: async () => ownStore?.close() };
}
