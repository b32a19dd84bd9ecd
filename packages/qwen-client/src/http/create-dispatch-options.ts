import type { Dispatcher } from 'undici';
import { parseUpstreamTarget } from './parse-upstream-target';

/** One upstream POST: where it goes, what it carries, its time limits and its abort signal. */
export interface UpstreamRequestOptions {
  dispatcher: Dispatcher;
  url: string;
  headers: Record<string, string>;
  /** JSON, as text or as its UTF-8 bytes */
  body: string | Uint8Array;
  /** time to the response headers */
  headersTimeoutInMs: number;
  /** largest gap between body chunks */
  idleTimeoutInMs: number;
  /** the caller's abort and the total deadline */
  signal: AbortSignal;
  /** named in the errors */
  accountId: string;
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
