import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { convertTransportError } from './convert-transport-error';

/** A response whose status and headers arrived; the body is still unread. */
export interface UpstreamHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

// upstream URLs are a handful (one per base URL and endpoint): parse each once, not per attempt
const MAX_CACHED_TARGETS = 64;
const parsedTargets = new Map<string, { origin: string; path: string }>();

function parseTarget(url: string): { origin: string; path: string } {
  let target = parsedTargets.get(url);
  if (target === undefined) {
    const parsed = new URL(url);
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (parsedTargets.size >= MAX_CACHED_TARGETS) parsedTargets.clear();
    parsedTargets.set(url, target);
  }
  return target;
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
  const target = parseTarget(url);
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
