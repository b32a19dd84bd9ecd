import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { convertTransportError } from './convert-transport-error';
import { parseUpstreamTarget } from './parse-upstream-target';

/** A response whose status and headers arrived; the body is still unread. */
export interface UpstreamHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/**
 * One POST through the dispatcher with the per-request time limits: `headersTimeout` (time to
 * first byte) and `bodyTimeout` (largest gap between body chunks). Connect time is limited by
 * the dispatcher's connector; the total deadline and the caller's abort come in via `signal`.
 */
export async function sendUpstreamRequest({
  dispatcher,
  url,
  headers,
  body,
  headersTimeoutInMs,
  idleTimeoutInMs,
  signal,
  accountId,
}: {
  dispatcher: Dispatcher;
  url: string;
  headers: Record<string, string>;
  body: string;
  headersTimeoutInMs: number;
  idleTimeoutInMs: number;
  signal: AbortSignal;
  accountId: string;
}): Promise<UpstreamHttpResponse> {
  const target = parseUpstreamTarget(url);
  try {
    const response = await dispatcher.request({
      origin: target.origin,
      path: target.path,
      method: 'POST',
      headers,
      body,
      headersTimeout: headersTimeoutInMs,
      bodyTimeout: idleTimeoutInMs,
      signal,
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    throw convertTransportError({ error, signal, accountId });
  }
}
