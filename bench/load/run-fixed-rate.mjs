/**
 * Open-loop load at a steady rate: one request every 1/rate seconds over a pool of
 * `connections`, whatever the previous ones are doing. Unlike autocannon's rate option (each
 * connection sends its per-second quota back to back, a burst every second) this keeps the
 * server unqueued, so the latency it records is the per-request cost, not queueing.
 */
import { runRoundRobin } from './run-round-robin.mjs';

/** Sends `ratePerS` requests per second for `durationInS` and returns latency and failures. */
export async function runFixedRate({ origin, connections, ...load }) {
  const { sent: _sent, ...result } = await runRoundRobin({
    ...load,
    origins: [origin],
    connectionsPerOrigin: connections,
  });
  return { kind: 'fixed-rate', ...result };
}
