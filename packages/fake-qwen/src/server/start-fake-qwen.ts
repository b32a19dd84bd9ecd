import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { handleAnthropicMessages } from '../anthropic/handle-anthropic-messages';
import {
  convertErrorBodyToAnthropic,
  convertFaultToAnthropic,
} from '../anthropic/plan-anthropic-reply';
import { handleChat } from '../chat/handle-chat';
import type { ExchangeState } from '../chat/write-chat-stream';
import { DEVICE_CODE_GRANT_TYPE, FAKE_QWEN_PATHS, REFRESH_TOKEN_GRANT_TYPE } from '../constants';
import { writeQwenCredentialsFile } from '../credentials/write-credentials-file';
import { handleEmbeddings } from '../embeddings/handle-embeddings';
import { createInvalidApiKeyBody, createUpstreamErrorBody } from '../errors/upstream-error-bodies';
import { applyBeforeResponseFault, countUnauthorized } from '../faults/apply-before-response-fault';
import { createFaultQueue } from '../faults/fault-queue';
import { BodyTooLargeError, type ReadBody, readRequestBody } from '../http/read-request-body';
import { sendErrorBody, sendJson } from '../http/send-response';
import { createKeyWindows } from '../limits/create-key-windows';
import { handleDeviceCode } from '../oauth/handle-device-code';
import { handleToken } from '../oauth/handle-token';
import { checkPlanRequest } from '../plans/check-plan-request';
import { FAKE_PLAN_HOSTS, type FakePlanHost, matchPlanPath } from '../plans/plan-hosts';
import { createPlanKeyStore } from '../plans/plan-key-store';
import { handleNativeResponses } from '../responses/handle-native-responses';
import { createDeviceCodeStore } from '../store/device-code-store';
import { createRequestLog } from '../store/request-log';
import { createTokenStore } from '../store/token-store';
import type {
  FakeEndpoint,
  FakeQwen,
  FakeQwenCounters,
  FakeQwenOptions,
  IssuedCredentials,
} from '../types';
import { handleAdminRoute } from './admin-routes';
import type { FakeContext } from './fake-context';
import { applyOptions, createDefaultSettings } from './fake-settings';

const MAX_RECORDED_REQUESTS = 1000;

function createCounters(): FakeQwenCounters {
  return {
    deviceCodeCalls: 0,
    devicePollCalls: 0,
    refreshCalls: 0,
    refreshSuccesses: 0,
    chatCalls: 0,
    anthropicCalls: 0,
    embeddingsCalls: 0,
    unauthorizedSent: 0,
    requestsAbortedByClient: 0,
    streamsAbortedByClient: 0,
    currentConcurrentRequests: 0,
    maxConcurrentRequests: 0,
  };
}

function endpointOf(method: string, path: string): FakeEndpoint | undefined {
  if (method !== 'POST') return undefined;
  if (path === FAKE_QWEN_PATHS.chat) return 'chat';
  if (path === FAKE_QWEN_PATHS.token) return 'token';
  if (path === FAKE_QWEN_PATHS.deviceCode) return 'device-code';
  if (path === FAKE_QWEN_PATHS.embeddings) return 'embeddings';
  if (path === FAKE_QWEN_PATHS.anthropicMessages) return 'anthropic';
  if (path === FAKE_QWEN_PATHS.responses) return 'responses';
  return undefined;
}

// Anthropic clients may send the key as `x-api-key` instead of a bearer token
function readBearer(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const apiKey = request.headers['x-api-key'];
  if (!header) return typeof apiKey === 'string' && apiKey !== '' ? apiKey.trim() : undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}

function formatHostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the fake Qwen upstream (OAuth device flow, token refresh, chat, embeddings) on loopback. */
export async function startFakeQwen(options: FakeQwenOptions = {}): Promise<FakeQwen> {
  const settings = createDefaultSettings();
  applyOptions({ settings, options });
  const host = options.host ?? '127.0.0.1';
  const now = (): number => settings.now();
  const tokens = createTokenStore({ now, opaqueTokens: options.opaqueTokens === true });
  const deviceCodes = createDeviceCodeStore({ now });
  const faultQueue = createFaultQueue();
  const keyWindows = createKeyWindows();
  const counters = createCounters();
  const requestLog = createRequestLog({ capacity: MAX_RECORDED_REQUESTS });
  const tokensSeen = new Set<string>();
  const planKeys = createPlanKeyStore();
  const sockets = new Set<Socket>();
  const pendingSleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let baseUrl = '';
  let closing = false;

  const context: FakeContext = {
    settings,
    tokens,
    deviceCodes,
    faultQueue,
    counters,
    baseUrl: () => baseUrl,
    resourceUrl: () => (settings.resourceUrl === 'self' ? baseUrl : settings.resourceUrl),
    sleep(delayInMs) {
      if (closing) return Promise.resolve();
      return new Promise((resolve) => {
        const entry = {
          timer: setTimeout(() => {
            pendingSleeps.delete(entry);
            resolve();
          }, delayInMs),
          resolve,
        };
        pendingSleeps.add(entry);
      });
    },
    isClosing: () => closing,
  };

  /** Bearer check of chat/embeddings: issued, unexpired, not invalidated (or a configured API key). */
  function isAuthorised(bearer: string | undefined): boolean {
    if (bearer === undefined) return false;
    return settings.apiKeys.has(bearer) || tokens.checkAccessToken(bearer) === 'valid';
  }

  function sendUnauthorized(
    endpoint: FakeEndpoint,
    response: ServerResponse,
    asSse: boolean,
  ): void {
    countUnauthorized({ context, endpoint, status: 401 });
    sendErrorBody({ response, status: 401, value: createInvalidApiKeyBody(), asSse });
  }

  /** A plan host's key and model checks; true when it answered (with the plan's error). */
  function rejectPlanRequest({
    planHost,
    endpoint,
    body,
    bearer,
    response,
    asSse,
    anthropic = false,
  }: {
    planHost: FakePlanHost;
    endpoint: FakeEndpoint;
    body: ReadBody;
    bearer: string | undefined;
    response: ServerResponse;
    asSse: boolean;
    /** answer in Anthropic's error envelope (the native Anthropic endpoint) */
    anthropic?: boolean;
  }): boolean {
    const model = (body.parsed as { model?: unknown } | undefined)?.model;
    const rejection = checkPlanRequest({
      host: planHost,
      bearer,
      model,
      keys: planKeys,
      planModels: settings.planModels,
    });
    if (rejection === null) return false;
    countUnauthorized({ context, endpoint, status: rejection.status });
    const value = anthropic
      ? convertErrorBodyToAnthropic({ status: rejection.status, body: rejection.body })
      : rejection.body;
    sendErrorBody({ response, status: rejection.status, value, asSse });
    return true;
  }

  async function routeEndpoint({
    endpoint,
    body,
    bearer,
    response,
    exchange,
    planHost,
  }: {
    endpoint: FakeEndpoint;
    body: ReadBody;
    bearer: string | undefined;
    response: ServerResponse;
    exchange: ExchangeState;
    planHost?: FakePlanHost;
  }): Promise<void> {
    const fields = body.kind === 'form' ? (body.parsed as Record<string, string>) : {};
    const parsed = body.parsed as { stream?: unknown } | undefined;
    const stream =
      endpoint === 'chat' || endpoint === 'anthropic' || endpoint === 'responses'
        ? parsed?.stream === true
        : undefined;
    const grantType = endpoint === 'token' ? fields.grant_type : undefined;
    if (endpoint === 'device-code') counters.deviceCodeCalls += 1;
    if (grantType === REFRESH_TOKEN_GRANT_TYPE) counters.refreshCalls += 1;
    if (grantType === DEVICE_CODE_GRANT_TYPE) counters.devicePollCalls += 1;
    if (endpoint === 'chat') counters.chatCalls += 1;
    if (endpoint === 'anthropic') counters.anthropicCalls += 1;
    if (endpoint === 'embeddings') counters.embeddingsCalls += 1;
    if (
      (endpoint === 'chat' || endpoint === 'embeddings' || endpoint === 'responses') &&
      bearer !== undefined
    ) {
      tokensSeen.add(bearer);
    }
    const taken = faultQueue.take({
      endpoint,
      phase: 'before-response',
      ...(stream !== undefined ? { stream } : {}),
      ...(grantType !== undefined ? { grantType } : {}),
      ...(bearer !== undefined ? { bearer } : {}),
    });
    // the native Anthropic endpoint answers its errors in Anthropic's envelope
    const action = endpoint === 'anthropic' && taken ? convertFaultToAnthropic(taken) : taken;
    const sseErrors = stream === true && settings.streamErrorFormat === 'sse';
    if (
      action &&
      (await applyBeforeResponseFault({ context, action, endpoint, response, sseErrors }))
    ) {
      return;
    }

    switch (endpoint) {
      case 'device-code':
        handleDeviceCode({ context, body, response });
        return;
      case 'token':
        handleToken({ context, body, response });
        return;
      case 'chat':
        if (planHost) {
          const common = { planHost, endpoint, body, bearer, response, asSse: sseErrors };
          if (rejectPlanRequest(common)) return;
        } else if (settings.shutdownMode || !isAuthorised(bearer)) {
          sendUnauthorized(endpoint, response, sseErrors);
          return;
        }
        {
          const spent = keyWindows.take(bearer);
          if (spent) {
            sendJson({
              response,
              status: spent.status,
              value: createUpstreamErrorBody({
                code: spent.code,
                message: spent.message,
                type: spent.code,
              }),
            });
            return;
          }
        }
        await handleChat({ context, body, response, exchange });
        return;
      case 'embeddings':
        if (planHost?.type === 'standard') {
          const common = { planHost, endpoint, body, bearer, response, asSse: false };
          if (!rejectPlanRequest(common)) handleEmbeddings({ context, body, response });
          return;
        }
        if (planHost || !settings.embeddings) {
          sendJson({
            response,
            status: 404,
            value: createUpstreamErrorBody({
              code: 'not_found',
              message: 'Not Found',
              type: 'invalid_request_error',
            }),
          });
          return;
        }
        if (settings.shutdownMode || !isAuthorised(bearer)) {
          sendUnauthorized(endpoint, response, sseErrors);
          return;
        }
        handleEmbeddings({ context, body, response });
        return;
      case 'anthropic':
        if (!planHost) return;
        if (
          rejectPlanRequest({
            planHost,
            endpoint,
            body,
            bearer,
            response,
            asSse: false,
            anthropic: true,
          })
        ) {
          return;
        }
        await handleAnthropicMessages({ context, body, response, exchange });
        return;
      case 'responses':
        // only standard hosts serve the native Responses API
        if (planHost?.type === 'standard') {
          const common = { planHost, endpoint, body, bearer, response, asSse: false };
          if (!rejectPlanRequest(common)) {
            await handleNativeResponses({ context, body, response, exchange });
          }
          return;
        }
        sendJson({
          response,
          status: 404,
          value: createUpstreamErrorBody({
            code: 'not_found',
            message: 'Not Found',
            type: 'invalid_request_error',
          }),
        });
        return;
    }
  }

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const exchange: ExchangeState = { streaming: false, droppedByServer: false };
    counters.currentConcurrentRequests += 1;
    counters.maxConcurrentRequests = Math.max(
      counters.maxConcurrentRequests,
      counters.currentConcurrentRequests,
    );
    response.once('close', () => {
      counters.currentConcurrentRequests = Math.max(0, counters.currentConcurrentRequests - 1);
      // 'close' before the response finished = the peer went away (unless we cut it or are closing)
      if (!response.writableFinished && !exchange.droppedByServer && !closing) {
        counters.requestsAbortedByClient += 1;
        if (exchange.streaming) counters.streamsAbortedByClient += 1;
      }
    });
    const method = request.method ?? 'GET';
    const [path = '/', queryString = ''] = (request.url ?? '/').split('?', 2);
    let body: ReadBody;
    try {
      body = await readRequestBody({ request, maxBytes: settings.maxRequestBodyBytes });
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendJson({
          response,
          status: 413,
          value: createUpstreamErrorBody({
            code: 'request_too_large',
            message: error.message,
            type: 'invalid_request_error',
          }),
        });
        request.resume();
      }
      return;
    }
    const bearer = readBearer(request);
    requestLog.record({
      method,
      path,
      headers: { ...request.headers },
      body: body.parsed,
      ...(bearer !== undefined ? { bearer } : {}),
      receivedAtInMs: Date.now(),
    });
    // plan hosts live under /plans/<host>/…; they serve chat, Anthropic and (standard)
    // embeddings and Responses
    const plan = matchPlanPath(path);
    const endpoint = endpointOf(method, plan ? plan.endpointPath : path);
    // the native Anthropic endpoint exists only on plan hosts (the OAuth portal has none)
    const served = plan
      ? endpoint === 'chat' ||
        endpoint === 'embeddings' ||
        endpoint === 'anthropic' ||
        endpoint === 'responses'
      : endpoint !== 'anthropic';
    if (endpoint && served) {
      await routeEndpoint({
        endpoint,
        body,
        bearer,
        response,
        exchange,
        ...(plan ? { planHost: plan.host } : {}),
      });
      return;
    }
    if (handleAdminRoute({ fake, method, path, query: new URLSearchParams(queryString), response }))
      return;
    sendJson({
      response,
      status: 404,
      value: createUpstreamErrorBody({
        code: 'not_found',
        message: 'Not Found',
        type: 'invalid_request_error',
      }),
    });
  }

  const server = createServer((request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) {
        sendJson({
          response,
          status: 500,
          value: { error: { message: String(error), type: 'fake_qwen_bug' } },
        });
      } else {
        response.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  baseUrl = `http://${formatHostForUrl(host)}:${port}`;

  function issueCredentials(issueOptions: { expiresInSeconds?: number } = {}): IssuedCredentials {
    const pair = tokens.issuePair(
      issueOptions.expiresInSeconds ?? settings.accessTokenTtlInSeconds,
    );
    // key order of qwen-code's refresh path, the order real files show (docs/qwen-upstream.md §1.5)
    return {
      access_token: pair.accessToken,
      token_type: 'Bearer',
      refresh_token: pair.refreshToken,
      resource_url: context.resourceUrl(),
      expiry_date: pair.expiresAtInMs,
    };
  }

  const fake: FakeQwen = {
    url: baseUrl,
    port,
    counters,
    get requests() {
      return requestLog.entries;
    },
    tokensSeen,
    lastRequest: (path) => requestLog.last(path),
    issueCredentials,
    planHosts: FAKE_PLAN_HOSTS,
    planBaseUrl(hostName) {
      const host = FAKE_PLAN_HOSTS.find((candidate) => candidate.name === hostName);
      if (!host) throw new RangeError(`fake-qwen has no plan host "${hostName}"`);
      return `${baseUrl}/plans/${host.name}${host.openAIPath}`;
    },
    issuePlanKey: ({ type, region = 'intl' }) => planKeys.issue({ type, region }),
    setKeyWindow: (options) => keyWindows.set(options),
    getKeyWindow: (key) => keyWindows.get(key),
    registerPlanKey: ({ key, type, region = 'intl' }) => planKeys.register({ key, type, region }),
    revokePlanKey: (key) => planKeys.revoke(key),
    async writeCredentialsFile({ dir, accountName, credentials, expiresInSeconds }) {
      return writeQwenCredentialsFile({
        dir,
        ...(accountName !== undefined ? { accountName } : {}),
        credentials:
          credentials ??
          issueCredentials(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
      });
    },
    approve(userCode) {
      const entry = deviceCodes.getByUserCode(userCode);
      if (entry.state !== 'consumed') entry.state = 'approved';
    },
    deny(userCode) {
      const entry = deviceCodes.getByUserCode(userCode);
      if (entry.state !== 'consumed') entry.state = 'denied';
    },
    expireDeviceCode(userCode) {
      deviceCodes.getByUserCode(userCode).forcedExpired = true;
    },
    get userCodes() {
      return deviceCodes.userCodes;
    },
    invalidateAccessToken: (accessToken) => tokens.invalidateAccessToken(accessToken),
    revokeRefreshToken: (refreshToken) => tokens.revokeRefreshToken(refreshToken),
    isRefreshTokenValid: (refreshToken) => tokens.isRefreshTokenValid(refreshToken),
    inject: (rule) => faultQueue.push(rule),
    clearFaults: () => faultQueue.clear(),
    configure(partial) {
      applyOptions({ settings, options: partial });
    },
    reset() {
      const { currentConcurrentRequests } = counters;
      Object.assign(counters, createCounters(), {
        currentConcurrentRequests,
        maxConcurrentRequests: currentConcurrentRequests,
      });
      requestLog.clear();
      tokensSeen.clear();
    },
    async close() {
      if (closing) return;
      closing = true;
      for (const entry of pendingSleeps) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      pendingSleeps.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
  return fake;
}
