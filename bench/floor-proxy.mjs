/**
 * The "floor" arm: the cheapest proxy that could stand in the path. node:http in, an undici
 * Pool out, bytes copied both ways, nothing parsed. Whatever the real proxy costs above this
 * is the price of its features. Usage: node floor-proxy.mjs <upstream-origin>
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';
import { sendEvent, serveRpc } from './lib/serve-rpc.mjs';

const upstreamOrigin = process.argv[2];
if (!upstreamOrigin) throw new Error('usage: node floor-proxy.mjs <upstream-origin>');

// unlimited connections, like a proxy that never queues a stream behind another
const upstream = new Pool(upstreamOrigin, {
  connections: null,
  pipelining: 1,
  headersTimeout: 300_000,
  bodyTimeout: 300_000,
});
const HOP_BY_HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host']);

function copyHeaders(headers) {
  const copied = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP_HEADERS.has(name) && value !== undefined) copied[name] = value;
  }
  return copied;
}

const server = createServer((request, response) => {
  const abortController = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) abortController.abort();
  });
  upstream.stream(
    {
      path: request.url,
      method: request.method,
      headers: copyHeaders(request.headers),
      body: request.method === 'GET' || request.method === 'HEAD' ? null : request,
      signal: abortController.signal,
      opaque: response,
    },
    ({ statusCode, headers, opaque }) => {
      opaque.writeHead(statusCode, copyHeaders(headers));
      return opaque;
    },
    (error) => {
      if (!error) return;
      if (!response.headersSent) {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end('floor proxy: upstream failed');
      } else {
        response.destroy();
      }
    },
  );
});
server.keepAliveTimeout = 30_000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const url = `http://127.0.0.1:${address.port}`;
  serveRpc({});
  console.log(`floor proxy listening on ${url} → ${upstreamOrigin}`);
  sendEvent('ready', { url });
});
