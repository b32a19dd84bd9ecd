import { Agent } from 'undici';

/** Options of the dispatcher the client creates when none is injected. */
export interface DefaultAgentOptions {
  connectTimeoutInMs: number;
  /** upper bound of sockets per origin (default 1024: a stream holds its socket until it ends) */
  connectionsPerOrigin?: number;
}

/**
 * Keep-alive agent: bounded sockets per origin, no pipelining (a slow stream must not hold up
 * the requests queued behind it), and undici's connector enforcing the connect timeout
 * (TCP + TLS handshake) as `UND_ERR_CONNECT_TIMEOUT`.
 */
export function createDefaultAgent({
  connectTimeoutInMs,
  connectionsPerOrigin = 1_024,
}: DefaultAgentOptions): Agent {
  return new Agent({
    connections: connectionsPerOrigin,
    pipelining: 1,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connect: { timeout: connectTimeoutInMs },
  });
}
