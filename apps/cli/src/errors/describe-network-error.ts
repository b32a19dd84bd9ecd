const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the server did not answer in time',
  UND_ERR_SOCKET: 'the connection broke',
};

/**
 * Explains a low-level network failure (also one wrapped as `cause` by fetch or undici)
 * in a few words, or returns undefined when the error is not a network failure.
 */
export function describeNetworkError(error: unknown): string | undefined {
  let current: unknown = error;
  // fetch wraps the socket error in "fetch failed"; walk a few causes deep
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const record = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof record.code === 'string' && record.code in NETWORK_CODES) {
      return NETWORK_CODES[record.code];
    }
    if (record.name === 'TimeoutError') return 'the request timed out';
    current = record.cause;
  }
  return undefined;
}
