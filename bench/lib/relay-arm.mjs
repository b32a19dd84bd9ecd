/**
 * What the harness's own relays (`floor-proxy.mjs`, `core-proxy.mjs`) share: how they answer
 * an upstream failure, and how they listen and tell the harness where.
 */
import { sendEvent, serveRpc } from './serve-rpc.mjs';

/** A 502 naming the relay before the answer started; a cut connection after it. */
export function sendRelayFailure({ response, label }) {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(502, { 'content-type': 'text/plain' });
  response.end(`${label}: upstream failed`);
}

/**
 * Listens on a free loopback port (keep-alive 30 s), answers the harness's commands, and sends
 * it `ready` with the URL once listening.
 */
export function serveRelayArm({ server, label, upstreamOrigin }) {
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const url = `http://127.0.0.1:${address.port}`;
    serveRpc({});
    console.log(`${label} listening on ${url} → ${upstreamOrigin}`);
    sendEvent('ready', { url });
  });
}
