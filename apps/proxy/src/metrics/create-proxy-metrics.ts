import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { convertEventLoopDelayToSeconds } from './convert-event-loop-delay';

// how often the event-loop monitor ticks; its readings include this interval, which is removed
const EVENT_LOOP_RESOLUTION_IN_MS = 10;

/** What the metrics need to know about an account (structurally an AccountStatus). */
export interface AccountStatusSnapshot {
  accountId: string;
  /** `coding-plan`, `token-plan`, `standard` or `qwen-oauth` */
  accountType?: string;
  state: string;
  secondsToExpiry?: number;
  expiresAtInMs?: number;
}

/** End state of a client stream as counted in `qwen_relay_streams_total`. */
export type StreamEndState = 'completed' | 'client-aborted' | 'upstream-error' | 'truncated';

/** The proxy's Prometheus metrics, in their own registry (never the global one). */
export interface ProxyMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly requestDurationInSeconds: Histogram<'route'>;
  readonly upstreamAttempts: Counter<'account'>;
  readonly upstreamRetries: Counter<'reason'>;
  readonly tokenRefreshes: Counter<'account' | 'outcome'>;
  readonly credentialsWriteFailures: Counter<'account' | 'code'>;
  readonly streams: Counter<'end_state'>;
  readonly streamsInFlight: Gauge;
  /** stops the event-loop delay monitor */
  close(): void;
}

const ACCOUNT_STATES = [
  'ok',
  'refreshing',
  'expiring',
  'expired',
  'needs-reauth',
  'no-credentials',
  'corrupt',
  'unsaved',
  'unwritable',
];

/** Creates every metric of the proxy; gauges about accounts and workers are read at scrape time. */
export function createProxyMetrics({
  getAccountStatuses,
  getWorkerPoolStats,
}: {
  getAccountStatuses: () => readonly AccountStatusSnapshot[];
  getWorkerPoolStats: () => { threads: number; queueSize: number };
}): ProxyMetrics {
  // no collectDefaultMetrics: its event-loop gauges print `Nan` before the first sample, which
  // strict Prometheus parsers reject; the proxy reports its own event-loop delay and memory
  const registry = new Registry();

  const eventLoopDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_IN_MS });
  eventLoopDelay.enable();

  new Gauge({
    name: 'qwen_relay_event_loop_delay_seconds',
    help: 'Event-loop delay beyond the 10 ms sampling interval since the previous scrape (p50, p99, max)',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      // the histogram reports nanoseconds; reset so each scrape shows the latest window
      const toSeconds = (recordedInNanoseconds: number) =>
        convertEventLoopDelayToSeconds({
          recordedInNanoseconds,
          resolutionInMs: EVENT_LOOP_RESOLUTION_IN_MS,
        });
      this.set({ quantile: '0.5' }, toSeconds(eventLoopDelay.percentile(50)));
      this.set({ quantile: '0.99' }, toSeconds(eventLoopDelay.percentile(99)));
      this.set({ quantile: '1' }, toSeconds(eventLoopDelay.max));
      eventLoopDelay.reset();
    },
  });

  new Gauge({
    name: 'qwen_relay_process_resident_memory_bytes',
    help: 'Resident set size of the proxy process',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });

  new Gauge({
    name: 'qwen_relay_token_seconds_to_expiry',
    help: 'Seconds until the current access token of each account expires (negative: expired)',
    labelNames: ['account'],
    registers: [registry],
    collect() {
      this.reset();
      for (const status of getAccountStatuses()) {
        const seconds =
          status.secondsToExpiry ??
          (status.expiresAtInMs === undefined
            ? undefined
            : (status.expiresAtInMs - Date.now()) / 1000);
        if (seconds !== undefined) this.set({ account: status.accountId }, Math.round(seconds));
      }
    },
  });

  new Gauge({
    name: 'qwen_relay_accounts_needing_reauth',
    help: 'Accounts whose refresh token was rejected and that need `qwen-relay auth login`',
    registers: [registry],
    collect() {
      this.set(getAccountStatuses().filter((status) => status.state === 'needs-reauth').length);
    },
  });

  new Gauge({
    name: 'qwen_relay_accounts_unsaved',
    help: 'Accounts whose refreshed credentials could not be written and live only in memory (a restart now needs a new login)',
    registers: [registry],
    collect() {
      this.set(getAccountStatuses().filter((status) => status.state === 'unsaved').length);
    },
  });

  new Gauge({
    name: 'qwen_relay_account_state',
    help: 'Current state of each account (1 for the state it is in)',
    labelNames: ['account', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const status of getAccountStatuses()) {
        for (const state of ACCOUNT_STATES) {
          this.set({ account: status.accountId, state }, status.state === state ? 1 : 0);
        }
      }
    },
  });

  new Gauge({
    name: 'qwen_relay_account_info',
    help: 'Every account served, with its type (always 1)',
    labelNames: ['account', 'type'],
    registers: [registry],
    collect() {
      this.reset();
      for (const status of getAccountStatuses()) {
        this.set({ account: status.accountId, type: status.accountType ?? 'unknown' }, 1);
      }
    },
  });

  new Gauge({
    name: 'qwen_relay_sse_worker_queue_size',
    help: 'SSE transform tasks waiting for a worker thread (0 when transforms run inline)',
    registers: [registry],
    collect() {
      this.set(getWorkerPoolStats().queueSize);
    },
  });

  new Gauge({
    name: 'qwen_relay_sse_worker_threads',
    help: 'SSE transform worker threads (0: inline on the main thread)',
    registers: [registry],
    collect() {
      this.set(getWorkerPoolStats().threads);
    },
  });

  return {
    registry,
    requests: new Counter({
      name: 'qwen_relay_http_requests_total',
      help: 'HTTP requests answered, by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    requestDurationInSeconds: new Histogram({
      name: 'qwen_relay_http_request_duration_seconds',
      help: 'Time from request to the end of the response (whole stream for SSE)',
      labelNames: ['route'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers: [registry],
    }),
    upstreamAttempts: new Counter({
      name: 'qwen_relay_upstream_attempts_total',
      help: 'Requests sent upstream (each retry counts), by account',
      labelNames: ['account'],
      registers: [registry],
    }),
    upstreamRetries: new Counter({
      name: 'qwen_relay_upstream_retries_total',
      help: 'Upstream retries, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    tokenRefreshes: new Counter({
      name: 'qwen_relay_token_refreshes_total',
      help: 'Access token refreshes, by account and outcome (ok, failed, adopted)',
      labelNames: ['account', 'outcome'],
      registers: [registry],
    }),
    credentialsWriteFailures: new Counter({
      name: 'qwen_relay_credentials_write_failures_total',
      help: 'Failed writes of refreshed credentials, by account and errno code (ENOSPC, EACCES, …)',
      labelNames: ['account', 'code'],
      registers: [registry],
    }),
    streams: new Counter({
      name: 'qwen_relay_streams_total',
      help: 'Client SSE streams, by end state (completed, client-aborted, upstream-error, truncated)',
      labelNames: ['end_state'],
      registers: [registry],
    }),
    streamsInFlight: new Gauge({
      name: 'qwen_relay_streams_in_flight',
      help: 'Client SSE streams currently open',
      registers: [registry],
    }),
    close() {
      eventLoopDelay.disable();
    },
  };
}
