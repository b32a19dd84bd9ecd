/**
 * Reads how long upstream asked us to wait: `retry-after-ms` (milliseconds, non-standard but
 * common) wins over `Retry-After` (delta-seconds or an HTTP-date, RFC 9110 §10.2.3).
 * Returns undefined when neither header is present or parseable.
 */
export function parseRetryAfterInMs({
  headers,
  now = Date.now,
}: {
  headers: Record<string, string | string[] | undefined>;
  now?: () => number;
}): number | undefined {
  const retryAfterMs = readHeader(headers, 'retry-after-ms');
  if (retryAfterMs !== undefined) {
    const milliseconds = Number(retryAfterMs);
    if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.ceil(milliseconds);
  }
  const retryAfter = readHeader(headers, 'retry-after');
  if (retryAfter === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
  const dateInMs = Date.parse(retryAfter);
  if (Number.isNaN(dateInMs)) return undefined;
  return Math.max(0, dateInMs - now());
}

function readHeader(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first;
}
