/**
 * One autocannon measurement. Latency is re-recorded from autocannon's per-response event
 * into the µs histogram, because autocannon's own histogram keeps whole milliseconds.
 */
import autocannon from 'autocannon';
import { createHistogram } from '../lib/histogram.mjs';

/** Runs autocannon against `url` and returns requests/s, latency summary and failures. */
export async function runAutocannon({
  url,
  method = 'POST',
  headers = {},
  body,
  connections,
  durationInS,
}) {
  const latency = createHistogram();
  const statusCounts = {};
  const instance = autocannon({
    url,
    method,
    headers,
    body,
    connections,
    duration: durationInS,
    pipelining: 1,
    timeout: 30,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTimeInMs) => {
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) latency.record(responseTimeInMs);
  });
  const result = await instance;
  const succeeded = latency.count;
  return {
    kind: 'autocannon',
    durationInS: result.duration,
    requests: succeeded,
    requestsPerS: Math.round((succeeded / result.duration) * 10) / 10,
    failed: result.non2xx + result.errors + result.timeouts,
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
    latency: latency.summarize(),
  };
}
