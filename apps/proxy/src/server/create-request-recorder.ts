import type { ProxyMetrics } from '../metrics/create-proxy-metrics';

// label sets seen so far; a bound keeps odd methods or statuses from growing the cache forever
const MAX_CACHED_LABEL_SETS = 512;

type RequestCounterChild = ReturnType<ProxyMetrics['requests']['labels']>;
type DurationHistogramChild = ReturnType<ProxyMetrics['requestDurationInSeconds']['labels']>;

/**
 * Counts a finished request in `qwen_relay_requests_total` and its duration histogram through
 * label-bound children, cached per label set: prom-client hashes a label object on every
 * `inc(labels)`, which costs more than the increment itself on the hot path.
 */
export function createRequestRecorder({
  metrics,
}: {
  metrics: ProxyMetrics;
}): (options: { route: string; method: string; status: number; durationInMs: number }) => void {
  const counters = new Map<string, RequestCounterChild>();
  const histograms = new Map<string, DurationHistogramChild>();
  return ({ route, method, status, durationInMs }) => {
    const key = `${route} ${method} ${status}`;
    let counter = counters.get(key);
    if (counter === undefined) {
      if (counters.size >= MAX_CACHED_LABEL_SETS) counters.clear();
      counter = metrics.requests.labels({ route, method, status: String(status) });
      counters.set(key, counter);
    }
    counter.inc();
    let histogram = histograms.get(route);
    if (histogram === undefined) {
      histogram = metrics.requestDurationInSeconds.labels({ route });
      histograms.set(route, histogram);
    }
    histogram.observe(durationInMs / 1000);
  };
}
