/**
 * The "floor" arm: the cheapest proxy that could stand in the path. node:http in, an undici
 * Pool out, bytes copied both ways, nothing parsed. Whatever the real proxy costs above this
 * is the price of its features. Usage: node floor-proxy.mjs <upstream-origin> [--json]
 *
 * With `--json` (the `json-floor` arm) it is the cheapest proxy that reads what it relays: the
 * request body is buffered, parsed and serialised again before it goes upstream, and a JSON
 * answer is buffered, parsed and serialised again before it goes back (streams are still copied
 * as bytes). Nothing else: no validation, no accounts, no log, no metrics. It shows how much of
 * the proxy's distance to the floor any proxy that looks at the JSON pays.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';
import { sendRelayFailure, serveRelayArm } from './lib/relay-arm.mjs';

const upstreamOrigin = process.argv[2];
if (!upstreamOrigin) throw new Error('usage: node floor-proxy.mjs <upstream-origin> [--json]');
const readsJson = process.argv.includes('--json');
const LABEL = 'floor proxy';

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

function readBody(stream, onBody) {
  const chunks = [];
  stream.on('data', (chunk) => chunks.push(chunk));
  stream.on('end', () => onBody(Buffer.concat(chunks).toString('utf8')));
}

/** `--json`: parse and re-serialise the request body and a JSON answer; copy streams as bytes. */
function relayJson(request, response, signal) {
  readBody(request, (requestText) => {
    const body = requestText === '' ? null : JSON.stringify(JSON.parse(requestText));
    const headers = copyHeaders(request.headers);
    delete headers['content-length'];
    upstream
      .request({ path: request.url, method: request.method, headers, body, signal })
      .then(({ statusCode, headers: upstreamHeaders, body: upstreamBody }) => {
        const answerHeaders = copyHeaders(upstreamHeaders);
        if (!String(upstreamHeaders['content-type']).startsWith('application/json')) {
          response.writeHead(statusCode, answerHeaders);
          upstreamBody.pipe(response);
          return;
        }
        readBody(upstreamBody, (answerText) => {
          const answer = JSON.stringify(JSON.parse(answerText));
          delete answerHeaders['content-length'];
          answerHeaders['content-length'] = Buffer.byteLength(answer);
          response.writeHead(statusCode, answerHeaders);
          response.end(answer);
        });
      })
      .catch(() => sendRelayFailure({ response, label: LABEL }));
  });
}

const server = createServer((request, response) => {
  const abortController = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) abortController.abort();
  });
  if (readsJson) {
    relayJson(request, response, abortController.signal);
    return;
  }
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
      if (error) sendRelayFailure({ response, label: LABEL });
    },
  );
});
serveRelayArm({ server, label: LABEL, upstreamOrigin });
