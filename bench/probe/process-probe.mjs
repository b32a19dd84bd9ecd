/**
 * Preloaded (`node --import`) into the floor and proxy processes so the harness can read their
 * CPU time and event-loop delay without touching their code. It only answers IPC calls and
 * runs the event-loop delay sampler (a 10 ms timer, like prom-client's default metrics).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serveRpc } from '../lib/serve-rpc.mjs';

if (typeof process.send === 'function') {
  const resolutionInMs = 10;
  const eventLoopDelay = monitorEventLoopDelay({ resolution: resolutionInMs });
  eventLoopDelay.enable();
  // the sampler records the whole interval between its ticks; the delay is what exceeds it
  const toMs = (valueInNs) => Math.max(0, Math.round(valueInNs / 1000) / 1000 - resolutionInMs);

  serveRpc({
    /** CPU time (all threads) and event-loop delay since the last reset */
    'probe:snapshot': ({ reset = false }) => {
      const cpu = process.cpuUsage();
      const snapshot = {
        cpuTimeInUs: cpu.user + cpu.system,
        eventLoopDelay:
          eventLoopDelay.count > 0
            ? {
                p50InMs: toMs(eventLoopDelay.percentile(50)),
                p99InMs: toMs(eventLoopDelay.percentile(99)),
                maxInMs: toMs(eventLoopDelay.max),
              }
            : null,
      };
      if (reset) eventLoopDelay.reset();
      return snapshot;
    },
  });
  // the IPC channel alone must not keep a finished process alive
  process.channel?.unref();
}
