import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context as otelContext } from '@opentelemetry/api';
import { createLightAbortController, isQwenRelayError } from '@qwen-relay/contracts';
import {
  MethodNotAllowedError,
  ProxyUnauthorizedError,
  RouteNotFoundError,
} from '../errors/proxy-errors';
import { handleChatCompletions } from '../handlers/handle-chat-completions';
import { handleCountTokens } from '../handlers/handle-count-tokens';
import { handleEmbeddings } from '../handlers/handle-embeddings';
import { handleHealth } from '../handlers/handle-health';
import { handleLivez } from '../handlers/handle-livez';
import { handleMessages } from '../handlers/handle-messages';
import { handleMetrics } from '../handlers/handle-metrics';
import { handleListModels, handleRetrieveModel } from '../handlers/handle-models';
import { handleReadyz } from '../handlers/handle-readyz';
import { handleResponses } from '../handlers/handle-responses';
import { handleStatusJson } from '../handlers/handle-status-json';
import { handleStatusPage } from '../handlers/handle-status-page';
import { handleStoredResponse } from '../handlers/handle-stored-response';
import { applyCorsHeaders } from '../http/apply-cors-headers';
import { createProxyKeyCheck } from '../http/create-proxy-key-check';
import { createRequestGuard } from '../http/create-request-guard';
import { matchRoute, type RouteMatch, type RouteName } from '../http/match-route';
import { type RequestSpan, startRequestSpan } from '../tracing/start-request-span';
import { readErrorProtocol } from './error-protocol';
import type { ProxyContext, RequestScope } from './proxy-context';
import { sendBodyTooLargeResponse } from './send-body-too-large-response';
import { sendErrorResponse } from './send-error-response';
import { sendLastResortError } from './send-last-resort-error';

// nginx's "client closed request": how a request whose client left is counted and logged
const CLIENT_CLOSED_STATUS = 499;

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

// operational endpoints: polled by probes, scrapers and the status page, so their access lines are
// debug and they stay out of the status page's traffic chart
const OPERATIONAL_ROUTES: ReadonlySet<RouteName> = new Set([
  'health',
  'metrics',
  'livez',
  'readyz',
  'status-page',
  'status-json',
]);

// answered without a proxy key: probes, scrapers and the page itself (its data needs the key)
const OPEN_ROUTES: ReadonlySet<RouteName> = new Set([
  'health',
  'metrics',
  'livez',
  'readyz',
  'status-page',
]);

// a stream that failed after its 200 counts as an error on the status page too
const FAILED_STREAM_STATES = new Set(['upstream-error', 'truncated']);

function readRequestId(request: IncomingMessage): string {
  const fromClient = request.headers['x-request-id'];
  return typeof fromClient === 'string' && REQUEST_ID_PATTERN.test(fromClient)
    ? fromClient
    : randomUUID();
}

/** The path of a request target, without its query string. */
function readPath(target: string): string {
  const queryStart = target.indexOf('?');
  return queryStart === -1 ? target : target.slice(0, queryStart);
}

async function dispatch({
  context,
  scope,
  match,
}: {
  context: ProxyContext;
  scope: RequestScope;
  match: RouteMatch & { kind: 'matched' };
}) {
  switch (match.route) {
    case 'chat-completions':
      return handleChatCompletions({ context, scope });
    case 'responses':
      return handleResponses({ context, scope });
    case 'response':
      return handleStoredResponse({ context, scope, responseId: match.responseId ?? '' });
    case 'embeddings':
      return handleEmbeddings({ context, scope });
    case 'messages':
      return handleMessages({ context, scope });
    case 'messages-count-tokens':
      return handleCountTokens({ context, scope });
    case 'models':
      return handleListModels({ context, scope });
    case 'model':
      return handleRetrieveModel({ context, scope, modelId: match.modelId ?? '' });
    case 'health':
      return handleHealth({ context, scope });
    case 'metrics':
      return handleMetrics({ context, scope });
    case 'livez':
      return handleLivez({ scope });
    case 'readyz':
      return handleReadyz({ context, scope });
    case 'status-page':
      return handleStatusPage({ scope });
    case 'status-json':
      return handleStatusJson({ context, scope });
  }
}

/**
 * The node:http request listener: request id, Host/Origin guard, CORS, routing (404/405), proxy
 * keys on /v1, a JSON Content-Type on POST, the handler, and every failure turned into the route's
 * envelope (OpenAI, or Anthropic on `/v1/messages`) in one place. A client that
 * disconnects before its response finished aborts `scope.signal`, which cancels the upstream call;
 * so does a stop through `context.requestStoppers` (shutdown), whose reason the client is told.
 */
export function createRequestHandler({
  context,
  isShuttingDown,
}: {
  context: ProxyContext;
  isShuttingDown: () => boolean;
}): (request: IncomingMessage, response: ServerResponse) => void {
  const checkProxyKey = createProxyKeyCheck({ proxyApiKeys: context.config.proxyApiKeys });
  const guard = createRequestGuard({ config: context.config });
  const { logger, metrics } = context;

  return (request, response) => {
    const startedAtInMs = performance.now();
    const method = request.method ?? 'GET';
    const target = request.url ?? '/';
    const requestId = readRequestId(request);
    // not `new AbortController()`: on Node 20 its signal alone costs ~5 µs (see contracts)
    const abortController = createLightAbortController();
    let clientGone = false;
    let stopReason: Error | undefined;
    const scope: RequestScope = {
      request,
      response,
      requestId,
      signal: abortController.signal,
      isClientGone: () => clientGone,
      getStopReason: () => stopReason,
    };
    const stop = (reason: Error) => {
      stopReason ??= reason;
      abortController.abort(reason);
    };
    const stopperEntry = context.requestStoppers.add(stop);
    const match = matchRoute({ method, target });
    // on /v1/messages every error, the proxy-key 401 and the 404/405/413 included, is Anthropic's
    const errorProtocol = readErrorProtocol({
      path: readPath(target),
      anthropicVersion: request.headers['anthropic-version'],
    });
    const routeLabel = match.kind === 'matched' ? match.route : match.kind;
    const operational = match.kind === 'matched' && OPERATIONAL_ROUTES.has(match.route);
    // probes, scrapes and the status page stay out of traces, as out of the traffic chart
    let requestSpan: RequestSpan | undefined;
    if (context.tracing !== undefined && !operational && method !== 'OPTIONS') {
      const path = readPath(target);
      requestSpan = startRequestSpan({
        tracer: context.tracing.tracer,
        method,
        ...(match.kind !== 'matched'
          ? {}
          : {
              route:
                match.route === 'model'
                  ? '/v1/models/{id}'
                  : match.route === 'response'
                    ? '/v1/responses/{id}'
                    : path.replace(/\/+$/, ''),
            }),
        path,
        headers: request.headers,
        requestId,
      });
    }

    response.setHeader('X-Request-Id', requestId);
    if (isShuttingDown()) response.setHeader('Connection', 'close');
    response.once('close', () => {
      context.requestStoppers.remove(stopperEntry);
      const clientLeft = !response.writableFinished;
      if (clientLeft) {
        clientGone = true;
        abortController.abort();
      }
      const status = clientLeft ? CLIENT_CLOSED_STATUS : response.statusCode;
      metrics.requests.inc({ route: routeLabel, method, status: String(status) });
      const durationInMs = performance.now() - startedAtInMs;
      metrics.requestDurationInSeconds.observe({ route: routeLabel }, durationInMs / 1000);
      requestSpan?.end({ status, clientLeft });
      if (!operational && method !== 'OPTIONS') {
        context.trafficHistory.record({
          atInMs: Date.now(),
          isError:
            (status >= 400 && status !== CLIENT_CLOSED_STATUS) ||
            FAILED_STREAM_STATES.has(scope.streamEndState ?? ''),
        });
      }
      const accessLevel = operational ? 'debug' : 'info';
      // the access line is built only when it will be written (LOG_LEVEL=warn skips it)
      if (!logger.isLevelEnabled(accessLevel)) return;
      logger.access({
        level: accessLevel,
        method,
        path: readPath(target),
        status,
        durationInMs,
        requestId,
        stream: scope.streamEndState,
      });
    });

    const run = async () => {
      // before anything else, preflights included: web pages (DNS rebinding, foreign origins) are
      // refused here, and the refusal goes through the route's own error sender below
      guard.checkSource(request);
      if (applyCorsHeaders({ request, response, corsOrigins: context.config.corsOrigins })) return;
      if (match.kind === 'not-found')
        throw new RouteNotFoundError({ method, path: readPath(target) });
      if (match.kind === 'method-not-allowed') {
        response.setHeader('Allow', match.allowedMethods.join(', '));
        throw new MethodNotAllowedError({
          method,
          path: readPath(target),
          allowedMethods: match.allowedMethods,
        });
      }
      const needsKey = !OPEN_ROUTES.has(match.route);
      if (needsKey && !checkProxyKey(request.headers)) throw new ProxyUnauthorizedError();
      if (method === 'POST') guard.checkJsonBody(request);
      await dispatch({ context, scope, match });
    };

    const running = requestSpan === undefined ? run() : otelContext.with(requestSpan.context, run);
    running
      .catch((error: unknown) => {
        if (scope.isClientGone()) return;
        if (response.headersSent) {
          // a failure after the SSE headers: pipeChatStream reports stream errors itself, so this is
          // a bug path; end the response rather than leave the client hanging
          logger.error('Request failed after the response started', { requestId, error });
          response.destroy();
          return;
        }
        if (isQwenRelayError(error) && error.code === 'QWEN_RELAY_BODY_TOO_LARGE') {
          logger.debug(`Request rejected: ${error.message}`, { requestId, code: error.code });
          void sendBodyTooLargeResponse({
            request,
            response,
            error,
            limitInBytes: context.config.bodyLimitInBytes,
            protocol: errorProtocol,
          })
            .then((outcome) => {
              if (outcome !== 'drained') {
                logger.debug('Closed the connection of an oversized upload', {
                  requestId,
                  outcome,
                });
              }
            })
            .catch(() => response.destroy());
          return;
        }
        // a request stopped by shutdown failed with the upstream abort: tell the client why instead
        const reported = scope.getStopReason() ?? error;
        const status = sendErrorResponse({ response, error: reported, protocol: errorProtocol });
        if (!isQwenRelayError(reported)) {
          logger.error('Unexpected error while handling a request', {
            requestId,
            error: reported,
            stack: (reported as Error)?.stack,
          });
        } else if (status >= 500) {
          logger.warn(`Request failed: ${reported.message}`, {
            requestId,
            code: reported.code,
            status,
          });
        } else {
          logger.debug(`Request rejected: ${reported.message}`, {
            requestId,
            code: reported.code,
            status,
          });
        }
      })
      .catch((failure: unknown) => {
        // reporting the error failed itself: still answer, and say so if the logger can
        sendLastResortError(response);
        try {
          logger.error('Could not report a request failure; answered 500 internal_error', {
            requestId,
            reason: failure instanceof Error ? failure.message : typeof failure,
          });
        } catch {
          // nothing left to tell it with
        }
      });
  };
}
