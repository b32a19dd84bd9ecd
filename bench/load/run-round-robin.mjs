/**
 * Open-loop load at a steady rate spread round-robin over one or more origins (the replicas of
 * a cluster): request i goes to origin i mod n, whatever the previous ones are doing, so the
 * servers stay unqueued and the latency recorded is the per-request cost.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { createHistogram } from '../lib/histogram.mjs';

/** Sends `ratePerS` requests per second for `durationInS`, round-robin over `origins`. */
export async function runRoundRobin({
  origins,
  path,
  method = 'POST',
  headers = {},
  body,
  connectionsPerOrigin,
  ratePerS,
  durationInS,
}) {
  const pools = origins.map(
    (origin) => new Pool(origin, { connections: connectionsPerOrigin, pipelining: 1 }),
  );
  const latency = createHistogram();
  const statusCounts = {};
  const inFlight = new Set();
  let failed = 0;
  const intervalInMs = 1000 / ratePerS;
  const startedAtInMs = performance.now();
  const endsAtInMs = startedAtInMs + durationInS * 1000;

  async function sendOne(pool) {
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
    const due = Math.floor((nowInMs - startedAtInMs) / intervalInMs) + 1;
    for (; sent < due; sent++) {
      const request = sendOne(pools[sent % pools.length]);
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    await delay(Math.max(0, startedAtInMs + sent * intervalInMs - performance.now()));
  }
  await Promise.all(inFlight);
  const elapsedInS = (performance.now() - startedAtInMs) / 1000;
  await Promise.all(pools.map((pool) => pool.destroy()));
  return {
    durationInS: Math.round(elapsedInS * 1000) / 1000,
    sent,
    requests: latency.count,
    requestsPerS: Math.round((latency.count / elapsedInS) * 10) / 10,
    failed,
    statusCounts,
    latency: latency.summarize(),
  };
}
