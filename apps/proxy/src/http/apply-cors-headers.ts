import type { IncomingMessage, ServerResponse } from 'node:http';
import { isOriginAllowed } from './is-origin-allowed';

const ALLOWED_HEADERS =
  'Authorization, Content-Type, X-API-Key, OpenAI-Organization, OpenAI-Project';

/**
 * Adds CORS headers when the request's Origin is allowed (`corsOrigins` empty: CORS off, no
 * header ever). Returns true when the request was a preflight and has been answered.
 */
export function applyCorsHeaders({
  request,
  response,
  corsOrigins,
}: {
  request: IncomingMessage;
  response: ServerResponse;
  corsOrigins: readonly string[];
}): boolean {
  const origin = request.headers.origin;
  if (corsOrigins.length === 0 || typeof origin !== 'string') return false;
  if (!isOriginAllowed({ origin, corsOrigins })) return false;
  const allowAny = corsOrigins.includes('*');
  response.setHeader('Access-Control-Allow-Origin', allowAny ? '*' : origin);
  response.setHeader('Vary', 'Origin');
  response.setHeader('Access-Control-Expose-Headers', 'Retry-After, X-Request-Id');
  const isPreflight =
    request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
  if (!isPreflight) return false;
  response.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
    'Content-Length': '0',
  });
  response.end();
  return true;
}
