import type { IncomingMessage } from 'node:http';
import type { ProxyConfig } from '../config/proxy-config';
import {
  ForbiddenHostError,
  ForbiddenOriginError,
  UnsupportedMediaTypeError,
} from '../errors/proxy-errors';
import { createHostCheck } from './create-host-check';
import { isJsonContentType } from './is-json-content-type';
import { isOriginAllowed } from './is-origin-allowed';

/** The checks that keep web pages from using the proxy; each throws a 403 / 415 ProxyError. */
export interface RequestGuard {
  /** `Host` (DNS rebinding) and `Origin` (cross-site pages): every request, before routing. */
  checkSource(request: IncomingMessage): void;
  /** A JSON `Content-Type` on a request with a body (POST), before the body is read. */
  checkJsonBody(request: IncomingMessage): void;
}

/**
 * Builds the guard the request handler runs for every route. It throws instead of answering, so
 * each route's own error sender writes the refusal in that route's protocol.
 */
export function createRequestGuard({
  config,
}: {
  config: Pick<ProxyConfig, 'host' | 'allowedHosts' | 'corsOrigins'>;
}): RequestGuard {
  const isHostAllowed = createHostCheck({ host: config.host, allowedHosts: config.allowedHosts });
  const { corsOrigins } = config;
  return {
    checkSource(request) {
      const { host, origin } = request.headers;
      if (!isHostAllowed(host)) throw new ForbiddenHostError({ host: host ?? '' });
      // only browsers send Origin; SDKs, curl and server-side code do not
      if (origin !== undefined && !isOriginAllowed({ origin, corsOrigins })) {
        throw new ForbiddenOriginError({ origin });
      }
    },
    checkJsonBody(request) {
      const contentType = request.headers['content-type'];
      if (!isJsonContentType(contentType)) throw new UnsupportedMediaTypeError({ contentType });
    },
  };
}
