import type { FakePlanHost, FakePlanRegion, FakePlanType } from './plans/plan-hosts';

/**
 * Public contract of the fake Qwen upstream. Every test suite, benchmark and the demo code
 * against these types, so change them only additively.
 */

/** Endpoints of the fake that faults can target. */
export type FakeEndpoint =
  | 'device-code'
  | 'token'
  | 'chat'
  | 'embeddings'
  | 'anthropic'
  | 'responses';

/** What a fault does when it fires. */
export type FaultAction =
  /** answer with this status and body (object → JSON, string → text/plain unless contentType set) */
  | {
      type: 'status';
      status: number;
      body?: unknown;
      contentType?: string;
      headers?: Record<string, string>;
    }
  /** wait before sending headers, then answer normally (or with `andThen`) */
  | {
      type: 'delay-headers';
      delayInMs: number;
      /** what to answer after the delay instead of the normal answer */
      andThen?:
        | {
            type: 'status';
            status: number;
            body?: unknown;
            contentType?: string;
            headers?: Record<string, string>;
          }
        | { type: 'waf' }
        | { type: 'hang' };
    }
  /** stream normally for `afterChunks` chunks, then send `data: {"error":...}` and end (no [DONE]) */
  | { type: 'mid-stream-error'; afterChunks: number; error?: Record<string, unknown> }
  /** stream `afterChunks` chunks, then destroy the socket without ending the response */
  | { type: 'mid-stream-drop'; afterChunks: number }
  /** stream `afterChunks` chunks, then pause `pauseInMs` before continuing (idle-gap tests) */
  | { type: 'stall'; afterChunks: number; pauseInMs: number }
  /** stream `afterChunks` chunks, then an in-band `finish_reason:"error_finish"` chunk whose delta.content is `message`, then [DONE] (docs/qwen-upstream.md §2.6 variation 4) */
  | { type: 'error-finish'; afterChunks: number; message?: string }
  /** 200 text/html challenge page (Alibaba WAF slider) */
  | { type: 'waf' }
  /** accept the connection and never answer (connect ok, headers never come) */
  | { type: 'hang' };

/** A fault rule: fires on the next `times` matching requests (default 1), in queue order. */
export interface FaultRule {
  endpoint: FakeEndpoint;
  action: FaultAction;
  /** how many matching requests it fires on; Infinity for "until cleared" (default 1) */
  times?: number;
  /** only match requests with this streaming flag (chat only) */
  stream?: boolean;
  /** only match this grant type (token endpoint only) */
  grantType?: 'refresh_token' | 'urn:ietf:params:oauth:grant-type:device_code';
  /** only match requests carrying this bearer (an API key or access token): one account's faults */
  bearer?: string;
}

/** Options of {@link startFakeQwen}; every one has a default faithful to the reference. */
export interface FakeQwenOptions {
  /** listen port; 0 (default) picks a free one */
  port?: number;
  /** listen host; default 127.0.0.1 */
  host?: string;
  /** `expires_in` of issued access tokens, seconds (default 3600) */
  accessTokenTtlInSeconds?: number;
  /**
   * issue tokens of no recognisable shape (no `qat_`/`qrt_` prefix, 24 hex characters), like an
   * upstream whose token format is unknown: only redaction by value can hide them (default false)
   */
  opaqueTokens?: boolean;
  /** `resource_url` returned with tokens: 'self' (default) → `http://127.0.0.1:<port>`, or any string (e.g. a bare host) */
  resourceUrl?: 'self' | string;
  /** device code lifetime, seconds (default 1800) */
  deviceCodeTtlInSeconds?: number;
  /** HTTP status of `slow_down` answers: 429 like qwen-code expects (default) or 400 per RFC 8628 */
  slowDownStatus?: 400 | 429;
  /** polls of one device code closer together than this get `slow_down` (default 0 = never) */
  devicePollMinIntervalInMs?: number;
  /** `interval` (seconds) to include in the device-code answer; omitted by default (qwen-code ignores it) */
  devicePollIntervalInSeconds?: number;
  /** approve device codes as soon as they are issued (default false) */
  autoApprove?: boolean;
  /** serve POST /v1/embeddings (default false → 404, like the real portal) */
  embeddings?: boolean;
  /** alias → resolved model name echoed in responses (default coder-model → qwen3.6-plus, vision-model → qwen3-vl-plus) */
  modelAliases?: Record<string, string>;
  /** max_tokens limits per resolved or requested model; above → 400 "Range of max_tokens should be [1, N]" (default 65536) */
  maxTokensLimit?: number;
  /** streaming shape */
  stream?: {
    /** content chunks per stream (default 8) */
    chunkCount?: number;
    /** bytes of text per content chunk (default ~6, a word) */
    chunkSize?: number;
    /** pause between chunks, ms (default 0) */
    chunkDelayInMs?: number;
    /** emit finish_reason and usage in one final chunk instead of two (default false) */
    combinedFinalChunk?: boolean;
    /** reasoning_content chunks when enable_thinking is on (default: chunkCount) */
    reasoningChunkCount?: number;
    /** finish_reason after streamed tool calls: 'tool_calls' (default) or 'stop' (reported variation) */
    toolCallsFinishReason?: 'tool_calls' | 'stop';
    /** add a tool-call continuation chunk with `"function":{}` after each call's first chunk (default false) */
    emptyFunctionChunk?: boolean;
  };
  /** answer every token request with the WAF HTML page (default false) */
  wafMode?: boolean;
  /** the unverified portal payload quirks, each a 400 `invalid_parameter_error` when on (default all off) */
  strictQuirks?: {
    systemMustBeArray?: boolean;
    userTextMustBeString?: boolean;
    rejectEmptyTools?: boolean;
    /** DashScope API-key rule: enable_thinking on a non-streaming call → 400 (default off) */
    rejectThinkingWithoutStream?: boolean;
  };
  /** post-2026-04-15 behaviour: every chat → 401, device/code → 200 HTML (default false) */
  shutdownMode?: boolean;
  /** clock used for expiry checks (default Date.now) */
  now?: () => number;
  /** how JSON errors of streaming chat requests are framed before the stream starts: plain JSON (default) or an SSE `data: {...}` event (reported, docs/qwen-upstream.md §3.1) */
  streamErrorFormat?: 'json' | 'sse';
  /** static bearer tokens always accepted by chat/embeddings (API-key mode; default none) */
  apiKeys?: string[];
  /** request bodies above this get 413 (default 64 MiB) */
  maxRequestBodyBytes?: number;
  /** the models each plan host serves (default: the plans' own lists, `DEFAULT_PLAN_MODELS`) */
  planModels?: Partial<Record<FakePlanType, string[]>>;
}

/** Credentials exactly as qwen-code stores them in `oauth_creds.json`. */
export interface IssuedCredentials {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  resource_url: string;
  /** epoch milliseconds */
  expiry_date: number;
}

/** One request as the fake saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** parsed JSON or form body (object), or the raw text when it did not parse */
  body: unknown;
  /** bearer token presented, if any */
  bearer?: string;
  /** epoch ms when the request arrived */
  receivedAtInMs: number;
}

/** Counters a test can assert on; all start at 0 and only `reset()` clears them. */
export interface FakeQwenCounters {
  deviceCodeCalls: number;
  devicePollCalls: number;
  refreshCalls: number;
  /** refresh calls that succeeded (issued a new pair) */
  refreshSuccesses: number;
  chatCalls: number;
  /** calls of a plan host's native Anthropic endpoint (`…/apps/anthropic/v1/messages`) */
  anthropicCalls: number;
  embeddingsCalls: number;
  /** 401 responses sent from chat/embeddings */
  unauthorizedSent: number;
  /** responses (streaming or not) whose client went away before the response ended */
  requestsAbortedByClient: number;
  /** streaming responses whose client went away mid-stream */
  streamsAbortedByClient: number;
  currentConcurrentRequests: number;
  maxConcurrentRequests: number;
}

/** A running fake upstream. */
export interface FakeQwen {
  /** base URL, e.g. http://127.0.0.1:40123 (serves OAuth and /v1 routes) */
  readonly url: string;
  readonly port: number;
  readonly counters: FakeQwenCounters;
  /** every request in arrival order (bounded to the last 1,000) */
  readonly requests: readonly RecordedRequest[];
  /** every distinct bearer token presented to chat/embeddings */
  readonly tokensSeen: ReadonlySet<string>;
  /** the last request to a path (e.g. '/v1/chat/completions') */
  lastRequest(path?: string): RecordedRequest | undefined;

  /** the Model Studio hosts served under `/plans/<name>/…` */
  readonly planHosts: readonly FakePlanHost[];
  /** OpenAI-compatible base URL of a plan host, e.g. `http://127.0.0.1:4000/plans/coding-intl/v1` */
  planBaseUrl(hostName: string): string;
  /** a new key accepted by the hosts of one plan in one region (`sk-sp-…` for Coding Plan) */
  issuePlanKey(options: { type: FakePlanType; region?: FakePlanRegion }): string;
  /**
   * limits `key` to `limit` chat requests; past it every chat answers 429 with the plan's
   * "hour|week|month allocated quota exceeded" (Coding Plan windows)
   */
  setKeyWindow(options: { key: string; limit: number; window?: '5h' | '7d' | '30d' }): void;
  /** the key's window and how much of it was used */
  getKeyWindow(
    key: string,
  ): { limit: number; window: '5h' | '7d' | '30d'; used: number } | undefined;
  /** makes a given key valid for one plan in one region */
  registerPlanKey(options: { key: string; type: FakePlanType; region?: FakePlanRegion }): void;
  /** the key is refused from now on (an expired plan) */
  revokePlanKey(key: string): void;

  /** mint a valid access/refresh pair without the device flow (as if a login happened) */
  issueCredentials(options?: { expiresInSeconds?: number }): IssuedCredentials;
  /** write credentials (issued now unless given) to `<dir>/oauth_creds[_name].json` with mode 0600; returns the path */
  writeCredentialsFile(options: {
    dir: string;
    accountName?: string;
    credentials?: IssuedCredentials;
    expiresInSeconds?: number;
  }): Promise<string>;

  /** device flow: simulate the user's browser step */
  approve(userCode: string): void;
  deny(userCode: string): void;
  expireDeviceCode(userCode: string): void;
  /** user codes issued so far, newest last */
  readonly userCodes: readonly string[];

  /** server-side invalidation: the given access token (or every one) now gets 401 */
  invalidateAccessToken(accessToken?: string): void;
  /** the given refresh token (or every one) is now rejected with 400 invalid_request */
  revokeRefreshToken(refreshToken?: string): void;
  /** is this refresh token currently accepted? */
  isRefreshTokenValid(refreshToken: string): boolean;

  /** queue a fault */
  inject(rule: FaultRule): void;
  /** drop queued faults */
  clearFaults(): void;
  /** change options at runtime (stream shape, waf mode, ttl, …) */
  configure(options: Partial<FakeQwenOptions>): void;
  /** zero counters and forget recorded requests (tokens stay valid) */
  reset(): void;
  /** stop listening and destroy open sockets */
  close(): Promise<void>;
}
