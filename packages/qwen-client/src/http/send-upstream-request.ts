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

/** One upstream POST: where it goes, what it carries, its time limits and its abort signal. */
export interface UpstreamRequestOptions {
  dispatcher: Dispatcher;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** time to the response headers */
  headersTimeoutInMs: number;
  /** largest gap between body chunks */
  idleTimeoutInMs: number;
  /** the caller's abort and the total deadline */
  signal: AbortSignal;
  /** named in the errors */
  accountId: string;
}

/**
 * One POST through the dispatcher with the per-request time limits: `headersTimeout` (time to
 * first byte) and `bodyTimeout` (largest gap between body chunks). Connect time is limited by
 * the dispatcher's connector; the total deadline and the caller's abort come in via `signal`.
 */
export async function sendUpstreamRequest(
  options: UpstreamRequestOptions,
): Promise<UpstreamHttpResponse> {
  const { dispatcher, signal, accountId } = options;
  try {
    const response = await dispatcher.request({ ...createDispatchOptions(options), signal });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    throw convertTransportError({ error, signal, accountId });
  }
}

/** undici's options for the POST: target, headers, body and the two per-request time limits. */
export function createDispatchOptions({
  url,
  headers,
  body,
  headersTimeoutInMs,
  idleTimeoutInMs,
}: UpstreamRequestOptions): Dispatcher.DispatchOptions {
  const target = parseUpstreamTarget(url);
  return {
    origin: target.origin,
    path: target.path,
    method: 'POST',
    headers,
    body,
    headersTimeout: headersTimeoutInMs,
    bodyTimeout: idleTimeoutInMs,
  };
}
