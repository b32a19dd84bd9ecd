import { hostname } from 'node:os';
import type { StateStore } from '@qwen-relay/state-store';

/** What a replica announces about itself (`replicas:<replicaId>`), for `cluster status`. */
export interface ReplicaHeartbeat {
  replicaId: string;
  host: string;
  pid: number;
  /** the proxy's listen address, e.g. `127.0.0.1:8080` */
  listen?: string;
  version: string;
  startedAtInMs: number;
  beatAtInMs: number;
}

/** The key prefix of replica heartbeats. */
export const REPLICA_KEY_PREFIX = 'replicas:';

/**
 * Announces this replica every `intervalInMs` (default 5 s) with a TTL of three intervals, so
 * `cluster status` lists live replicas and a dead one disappears within 15 s. A beat that fails
 * (Redis down) is simply retried at the next interval.
 */
export function startReplicaHeartbeat({
  store,
  replicaId,
  version,
  listen,
  intervalInMs = 5_000,
  now = Date.now,
}: {
  store: StateStore;
  replicaId: string;
  version: string;
  listen?: string;
  intervalInMs?: number;
  now?: () => number;
}): { stop(): Promise<void> } {
  const startedAtInMs = now();
  const beat = async (): Promise<void> => {
    const heartbeat: ReplicaHeartbeat = {
      replicaId,
      host: hostname(),
      pid: process.pid,
      version,
      startedAtInMs,
      beatAtInMs: now(),
      ...(listen === undefined ? {} : { listen }),
    };
    await store
      .set({
        key: `${REPLICA_KEY_PREFIX}${replicaId}`,
        value: JSON.stringify(heartbeat),
        ttlInMs: intervalInMs * 3,
      })
      .catch(() => undefined);
  };
  void beat();
  const timer = setInterval(() => void beat(), intervalInMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await store.delete(`${REPLICA_KEY_PREFIX}${replicaId}`).catch(() => undefined);
    },
  };
}

/** Every live replica's heartbeat, oldest start first. */
export async function listReplicaHeartbeats(store: StateStore): Promise<ReplicaHeartbeat[]> {
  const keys = await store.listKeys(REPLICA_KEY_PREFIX);
  const values = await store.getMany(keys);
  return values
    .flatMap((value) => {
      try {
        return value === undefined ? [] : [JSON.parse(value) as ReplicaHeartbeat];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.startedAtInMs - b.startedAtInMs);
}
