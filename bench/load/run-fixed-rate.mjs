/**
 * Open-loop load at a steady rate: one request every 1/rate seconds over a pool of
 * `connections`, whatever the previous ones are doing. Unlike autocannon's rate option (each
 * connection sends its per-second quota back to back, a burst every second) this keeps the
 * server unqueued, so the latency it records is the per-request cost, not queueing.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { createHistogram } from '../lib/histogram.mjs';

/** Sends `ratePerS` requests per second for `durationInS` and returns latency and failures. */
export async function runFixedRate({
  origin,
  path,
  method = 'POST',
  headers = {},
  body,
  connections,
  ratePerS,
  durationInS,
}) {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const latency = createHistogram();
  const statusCounts = {};
  const inFlight = new Set();
  let failed = 0;
  const intervalInMs = 1000 / ratePerS;
  const startedAtInMs = performance.now();
  const endsAtInMs = startedAtInMs + durationInS * 1000;

  async function sendOne() {
    const sentAtInMs = performance.now();
    try {
      const response = await pool.request({ path, method, headers, body });
      await response.body.arrayBuffer();
      statusCounts[response.statusCode] = (statusCounts[response.statusCode] ?? 0) + 1;
      if (response.statusCode >= 200 && response.statusCode < 300) {
        latency.record(performance.now() - sentAtInMs);
      } else failed++;
    } catch (error) {
      failed++;
      const reason = error?.code ?? 'error';
      statusCounts[reason] = (statusCounts[reason] ?? 0) + 1;
    }
  }

  let sent = 0;
  for (let nowInMs = startedAtInMs; nowInMs < endsAtInMs; nowInMs = performance.now()) {
    // catch up on every request that is due, then sleep until the next one
    const due = Math.floor((nowInMs - startedAtInMs) / intervalInMs) + 1;
    for (; sent < due; sent++) {
      const request = sendOne();
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    await delay(Math.max(0, startedAtInMs + sent * intervalInMs - performance.now()));
  }
  await Promise.all(inFlight);
  const elapsedInS = (performance.now() - startedAtInMs) / 1000;
  await pool.destroy();
  return {
    kind: 'fixed-rate',
    durationInS: Math.round(elapsedInS * 1000) / 1000,
    requests: latency.count,
    requestsPerS: Math.round((latency.count / elapsedInS) * 10) / 10,
    failed,
    statusCounts,
    latency: latency.summarize(),
  };
}
