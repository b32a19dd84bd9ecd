/**
 * The "core" arm: what any relay built on this repository's upstream client pays, and nothing
 * else. node:http in; the request body buffered and parsed; one call through the real
 * `@qwen-relay/qwen-client` (one account, the token handed in, its retries, timeouts and abort
 * signal as the proxy uses them); a JSON answer serialised again, an SSE answer copied as it
 * arrives. No validation, conversion, scheduling, log, metrics, guard or routing: the proxy's
 * CPU above this arm is the price of its own layers, and this arm's above `json-floor` the
 * price of the client library.
 *
 * Usage: node core-proxy.mjs <upstream-origin> <access-token> [resource-url]
 */
import { createServer } from 'node:http';
import { createLightAbortController } from '@qwen-relay/contracts';
import { createQwenClient } from '@qwen-relay/qwen-client';
import { sendRelayFailure, serveRelayArm } from './lib/relay-arm.mjs';

const [upstreamOrigin, accessToken, resourceUrl = upstreamOrigin] = process.argv.slice(2);
if (!upstreamOrigin || !accessToken) {
  throw new Error('usage: node core-proxy.mjs <upstream-origin> <access-token> [resource-url]');
}

const token = { accessToken, authType: 'oauth', resourceUrl };
const client = createQwenClient({
  baseUrl: upstreamOrigin,
  accounts: [
    {
      accountId: 'core',
      getAccessToken: async () => token,
      peekAccessToken: () => token,
      // a token the fake refuses stays refused: nothing to refresh here
      invalidate: async (failed) => failed,
    },
  ],
});

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

async function relay(request, response) {
  if (request.method !== 'POST') {
    // the harness's readiness probe (GET /v1/models)
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"object":"list","data":[]}');
    return;
  }
  const abortController = createLightAbortController();
  response.once('close', () => {
    if (!response.writableFinished) abortController.abort();
  });
  const payload = JSON.parse(await readBody(request));
  const result = await client.chatCompletion({ payload, signal: abortController.signal });
  if (result.kind === 'json') {
    const answer = JSON.stringify(result.body);
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(answer),
    });
    response.end(answer);
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for await (const chunk of result.body) response.write(chunk);
  response.end();
}

const server = createServer((request, response) => {
  relay(request, response).catch(() => sendRelayFailure({ response, label: 'core proxy' }));
});
serveRelayArm({ server, label: 'core proxy', upstreamOrigin });
