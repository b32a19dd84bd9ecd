import {
  createInvalidApiKeyBody,
  createInvalidParameterBody,
  createUpstreamErrorBody,
  OUTPUT_MODERATION_ERROR,
} from '../errors/upstream-error-bodies';
import type { FakeEndpoint, FaultAction, FaultRule } from '../types';

/** Overrides every `faults.*` helper accepts. */
export interface FaultOverrides {
  endpoint?: FakeEndpoint;
  times?: number;
  stream?: boolean;
  grantType?: FaultRule['grantType'];
  bearer?: string;
}

/** The limit kinds of Model Studio (docs/plans-and-protocols.md, rate limits and errors). */
export type FakeLimitKind =
  | 'requests-per-minute'
  | 'tokens-per-minute'
  | 'burst'
  | 'free-quota-exhausted'
  | 'plan-window-5h'
  | 'plan-window-7d'
  | 'plan-window-30d';

/** Status and body of each limit, with the messages the real upstream sends. */
export const LIMIT_ANSWERS: Record<
  FakeLimitKind,
  { status: number; code: string; message: string }
> = {
  'requests-per-minute': {
    status: 429,
    code: 'limit_requests',
    message: 'Requests rate limit exceeded, please try again later.',
  },
  'tokens-per-minute': {
    status: 429,
    code: 'Throttling.AllocationQuota',
    message: 'Allocated quota exceeded, please increase your quota limit.',
  },
  burst: {
    status: 429,
    code: 'limit_burst_rate',
    message:
      'Request rate increased too quickly. To ensure system stability, please adjust your client logic to scale requests more smoothly over time.',
  },
  'free-quota-exhausted': {
    status: 403,
    code: 'AllocationQuota.FreeTierOnly',
    message:
      'The free tier of the model has been exhausted. If you wish to continue access the model on a paid basis, please disable the "use free tier only" mode in the management console.',
  },
  'plan-window-5h': {
    status: 429,
    code: 'Throttling.AllocationQuota',
    message: 'hour allocated quota exceeded',
  },
  'plan-window-7d': {
    status: 429,
    code: 'Throttling.AllocationQuota',
    message: 'week allocated quota exceeded',
  },
  'plan-window-30d': {
    status: 429,
    code: 'Throttling.AllocationQuota',
    message: 'month allocated quota exceeded',
  },
};

function createRule(
  action: FaultAction,
  overrides: FaultOverrides,
  defaultEndpoint: FakeEndpoint = 'chat',
): FaultRule {
  const rule: FaultRule = { endpoint: overrides.endpoint ?? defaultEndpoint, action };
  if (overrides.times !== undefined) rule.times = overrides.times;
  if (overrides.stream !== undefined) rule.stream = overrides.stream;
  if (overrides.grantType !== undefined) rule.grantType = overrides.grantType;
  if (overrides.bearer !== undefined) rule.bearer = overrides.bearer;
  return rule;
}

function statusRule(
  status: number,
  body: unknown,
  overrides: FaultOverrides,
  headers?: Record<string, string>,
): FaultRule {
  const action: FaultAction = { type: 'status', status, body };
  if (headers) action.headers = headers;
  return createRule(action, overrides);
}

/** Ready-made fault rules with the bodies of docs/qwen-upstream.md §3.2 (default endpoint: chat). */
export const faults = {
  /** 401 `invalid_api_key` "invalid access token or token expired". */
  unauthorized(overrides: FaultOverrides = {}): FaultRule {
    return statusRule(401, createInvalidApiKeyBody(), overrides);
  },
  /** 403 with the 401 shape and code `access_denied` (body assumed, docs/qwen-upstream.md §3.2). */
  forbidden(overrides: FaultOverrides = {}): FaultRule {
    const body = createUpstreamErrorBody({
      code: 'access_denied',
      message: 'Access denied.',
      type: 'invalid_request_error',
    });
    return statusRule(403, body, overrides);
  },
  /** 429 throttling (`limit_requests`), with `Retry-After` / `retry-after-ms` when given, or an empty body. */
  rateLimited(
    options: FaultOverrides & {
      retryAfterInSeconds?: number;
      retryAfterMs?: number;
      emptyBody?: boolean;
    } = {},
  ): FaultRule {
    const headers: Record<string, string> = {};
    if (options.retryAfterInSeconds !== undefined) {
      headers['retry-after'] = String(options.retryAfterInSeconds);
    }
    if (options.retryAfterMs !== undefined)
      headers['retry-after-ms'] = String(options.retryAfterMs);
    const body = options.emptyBody
      ? undefined
      : createUpstreamErrorBody({
          code: 'limit_requests',
          message: 'Requests rate limit exceeded, please try again later.',
          type: 'limit_requests',
        });
    return statusRule(429, body, options, headers);
  },
  /** 429 `insufficient_quota` (the captured hard-quota body). */
  insufficientQuota(overrides: FaultOverrides = {}): FaultRule {
    const body = createUpstreamErrorBody({
      code: 'insufficient_quota',
      message:
        'You exceeded your current quota, please check your plan and billing details. For details, see: https://help.aliyun.com/zh/model-studio/error-code#token-limit',
      type: 'insufficient_quota',
    });
    return statusRule(429, body, overrides);
  },
  /** 429 `insufficient_quota` "Free allocated quota exceeded." */
  freeQuotaExceeded(overrides: FaultOverrides = {}): FaultRule {
    const body = createUpstreamErrorBody({
      code: 'insufficient_quota',
      message: 'Free allocated quota exceeded.',
      type: 'insufficient_quota',
    });
    return statusRule(429, body, overrides);
  },
  /** A Model Studio limit with its real status and message (`bearer` targets one key). */
  limit(
    kind: FakeLimitKind,
    overrides: FaultOverrides & { retryAfterInSeconds?: number } = {},
  ): FaultRule {
    const answer = LIMIT_ANSWERS[kind];
    const body = createUpstreamErrorBody({
      code: answer.code,
      message: answer.message,
      type: answer.code,
    });
    const headers =
      overrides.retryAfterInSeconds === undefined
        ? undefined
        : { 'retry-after': String(overrides.retryAfterInSeconds) };
    return statusRule(answer.status, body, overrides, headers);
  },
  /** 500 (or another 5xx) `internal_error`. */
  serverError(status = 500, overrides: FaultOverrides = {}): FaultRule {
    const body = createUpstreamErrorBody({
      code: 'internal_error',
      message: 'An internal error has occured, please try again later.',
      type: 'internal_error',
    });
    return statusRule(status, body, overrides);
  },
  /** 504 text/plain `stream timeout`. */
  streamTimeout504(overrides: FaultOverrides = {}): FaultRule {
    return createRule(
      { type: 'status', status: 504, body: 'stream timeout', contentType: 'text/plain' },
      overrides,
    );
  },
  /** 400 `invalid_parameter_error` with this message. */
  badRequest(message: string, overrides: FaultOverrides = {}): FaultRule {
    return statusRule(400, createInvalidParameterBody(message), overrides);
  },
  /** 400 `data_inspection_failed` on the input. */
  contentModeration(overrides: FaultOverrides = {}): FaultRule {
    const body = createUpstreamErrorBody({
      code: 'data_inspection_failed',
      message: 'Input data may contain inappropriate content.',
      type: 'data_inspection_failed',
      withCompletionId: true,
    });
    return statusRule(400, body, overrides);
  },
  /** Wait before sending headers, then answer normally. */
  delayHeaders(delayInMs: number, overrides: FaultOverrides = {}): FaultRule {
    return createRule({ type: 'delay-headers', delayInMs }, overrides);
  },
  /** After `afterChunks` SSE events, send `data: {"error":...}` (default: output moderation) and end. */
  midStreamError(
    afterChunks: number,
    overrides: FaultOverrides & { error?: Record<string, unknown> } = {},
  ): FaultRule {
    const error = overrides.error ?? { ...OUTPUT_MODERATION_ERROR };
    return createRule({ type: 'mid-stream-error', afterChunks, error }, overrides);
  },
  /** After `afterChunks` SSE events, destroy the socket. */
  midStreamDrop(afterChunks: number, overrides: FaultOverrides = {}): FaultRule {
    return createRule({ type: 'mid-stream-drop', afterChunks }, overrides);
  },
  /** After `afterChunks` SSE events, pause `pauseInMs`, then continue. */
  stall(afterChunks: number, pauseInMs: number, overrides: FaultOverrides = {}): FaultRule {
    return createRule({ type: 'stall', afterChunks, pauseInMs }, overrides);
  },
  /** After `afterChunks` SSE events, an in-band `finish_reason:"error_finish"` chunk, then [DONE]. */
  errorFinish(
    afterChunks: number,
    overrides: FaultOverrides & { message?: string } = {},
  ): FaultRule {
    const action: FaultAction = { type: 'error-finish', afterChunks };
    if (overrides.message !== undefined) action.message = overrides.message;
    return createRule(action, overrides);
  },
  /** 200 text/html WAF challenge page (default endpoint: token). */
  waf(overrides: FaultOverrides = {}): FaultRule {
    return createRule({ type: 'waf' }, overrides, 'token');
  },
  /** Never answer (headers never come). */
  hang(overrides: FaultOverrides = {}): FaultRule {
    return createRule({ type: 'hang' }, overrides);
  },
};
