import { type Dispatcher, ProxyAgent } from 'undici';

/**
 * The dispatcher of an OAuth account's token endpoint calls: its `egressProxy` when it has one
 * (a refresh is that account's upstream traffic too, and users pick per-account egress to keep
 * accounts on separate IPs), else undefined for undici's global dispatcher. Few calls, so a
 * small pool; the caller closes it with the account.
 */
export function createTokenEndpointDispatcher(
  egressProxyUrl: string | undefined,
): Dispatcher | undefined {
  if (egressProxyUrl === undefined) return undefined;
  return new ProxyAgent({ uri: egressProxyUrl, connections: 2 });
}
