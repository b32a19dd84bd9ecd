import { createServer, request as forwardRequest } from 'node:http';
import { connect, type Socket } from 'node:net';

/** One request the egress proxy relayed. */
export interface EgressProxyRecord {
  /** `CONNECT` (tunnel) or the method of an absolute-form request */
  method: string;
  /** `host:port` of the target */
  target: string;
  /** the decoded `user:pass` of Proxy-Authorization, if sent */
  credentials?: string;
}

/** A running loopback HTTP proxy (what an account's `egressProxy` points at in tests). */
export interface FakeEgressProxy {
  /** `http://127.0.0.1:<port>` (add `user:pass@` yourself when the proxy requires it) */
  readonly url: string;
  readonly port: number;
  /** every relayed request, tunnels included */
  readonly records: readonly EgressProxyRecord[];
  close(): Promise<void>;
}

/**
 * Starts a minimal HTTP forward proxy on 127.0.0.1: CONNECT tunnels (what undici's ProxyAgent
 * uses) and absolute-form requests, only to loopback targets. With `credentials` ("user:pass")
 * it answers 407 to requests without that Proxy-Authorization.
 */
export async function startFakeEgressProxy({
  credentials,
}: {
  credentials?: string;
} = {}): Promise<FakeEgressProxy> {
  const records: EgressProxyRecord[] = [];
  const sockets = new Set<Socket>();
  const readCredentials = (header: string | undefined): string | undefined => {
    const match = /^Basic\s+(.+)$/i.exec(header ?? '');
    return match?.[1] === undefined ? undefined : Buffer.from(match[1], 'base64').toString();
  };
  const isAllowed = (sent: string | undefined) => credentials === undefined || sent === credentials;
  const isLoopback = (hostname: string) =>
    hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';

  const server = createServer((incoming, outgoing) => {
    const sent = readCredentials(incoming.headers['proxy-authorization']);
    let url: URL;
    try {
      url = new URL(incoming.url ?? '');
    } catch {
      outgoing.writeHead(400).end();
      return;
    }
    records.push({
      method: incoming.method ?? 'GET',
      target: url.host,
      ...(sent === undefined ? {} : { credentials: sent }),
    });
    if (!isAllowed(sent)) {
      outgoing.writeHead(407, { 'proxy-authenticate': 'Basic realm="fake"' }).end();
      return;
    }
    if (!isLoopback(url.hostname)) {
      outgoing.writeHead(403).end();
      return;
    }
    const { 'proxy-authorization': _dropped, ...headers } = incoming.headers;
    const upstream = forwardRequest(
      url,
      { method: incoming.method ?? 'GET', headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });

  server.on('connect', (incoming, clientSocket: Socket, head: Buffer) => {
    sockets.add(clientSocket);
    clientSocket.once('close', () => sockets.delete(clientSocket));
    const sent = readCredentials(incoming.headers['proxy-authorization']);
    const target = incoming.url ?? '';
    records.push({
      method: 'CONNECT',
      target,
      ...(sent === undefined ? {} : { credentials: sent }),
    });
    const [hostname = '', portText = ''] = target.split(/:(?=\d+$)/);
    if (!isAllowed(sent)) {
      clientSocket.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (!isLoopback(hostname)) {
      clientSocket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(portText) });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.once('connect', () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    upstream.on('error', () => clientSocket.destroy());
    clientSocket.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    records,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
