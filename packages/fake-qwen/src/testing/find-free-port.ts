import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago (bound on 127.0.0.1 port 0, then released), for
 * a child process that must be told its port before it starts. Prefer binding port 0 directly
 * wherever the server is in this process.
 */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
