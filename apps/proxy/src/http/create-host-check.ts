import { isLoopbackHost } from '../config/is-loopback-host';
import { readHostName } from './read-host-name';

/**
 * The DNS-rebinding defence: a `Host` check that accepts loopback names (localhost, 127.0.0.0/8,
 * [::1], with or without port), every name of `allowedHosts` (`ALLOWED_HOSTS`, exact names;
 * `*` accepts any), and the listen address `host` itself when it is a specific non-loopback
 * address (clients then reach the proxy by that address). A request without `Host` (HTTP/1.0)
 * passes: browsers always send one, so it cannot come from a rebound page.
 */
export function createHostCheck({
  host,
  allowedHosts,
}: {
  host: string;
  allowedHosts: readonly string[];
}): (hostHeader: string | undefined) => boolean {
  if (allowedHosts.includes('*')) return () => true;
  const names = new Set(allowedHosts.map(readHostName));
  const listenName = readHostName(host);
  const isUnspecified = listenName === '0.0.0.0' || listenName === '::' || listenName === '';
  if (!isUnspecified && !isLoopbackHost(listenName)) names.add(listenName);
  return (hostHeader) => {
    if (hostHeader === undefined) return true;
    const name = readHostName(hostHeader);
    if (names.has(name)) return true;
    // `localhost`, `*.localhost` (RFC 6761: browsers resolve them locally) and loopback literals
    return isLoopbackHost(name);
  };
}
