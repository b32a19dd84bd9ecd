import { describeNetworkError } from '../errors/describe-network-error';

/** What a short GET to a URL found out. */
export type ProbeResult =
  | {
      reachable: true;
      status: number;
      dateHeader?: string;
      sentAtInMs: number;
      receivedAtInMs: number;
    }
  | { reachable: false; reason: string };

/**
 * GETs `url` with a short timeout and reads only the status line and headers: any HTTP
 * answer, even 404, proves the host is reachable. The body is discarded unread.
 */
export async function probeUrl({
  url,
  timeoutInMs,
  now,
}: {
  url: string;
  timeoutInMs: number;
  now: () => number;
}): Promise<ProbeResult> {
  const sentAtInMs = now();
  try {
    const response = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutInMs),
    });
    const receivedAtInMs = now();
    await response.body?.cancel().catch(() => {});
    const dateHeader = response.headers.get('date');
    return {
      reachable: true,
      status: response.status,
      sentAtInMs,
      receivedAtInMs,
      ...(dateHeader === null ? {} : { dateHeader }),
    };
  } catch (error) {
    // fetch says only "fetch failed"; the reason is in its cause
    const detail = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const reason =
      describeNetworkError(error) ??
      (detail instanceof Error ? detail.message : 'the request failed');
    return {
      reachable: false,
      reason: reason === 'the request timed out' ? `no answer within ${timeoutInMs} ms` : reason,
    };
  }
}
