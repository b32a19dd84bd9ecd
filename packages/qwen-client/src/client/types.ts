import type { CooldownReason } from '@qwen-relay/contracts';
import type { Dispatcher } from 'undici';
import type { QwenClientCooldowns } from '../accounts/account-cooldowns';
import type { AccountCooldownState } from '../accounts/account-pool';
import type { AttemptRecord } from '../errors/attempt-record';
import type { QwenClientEventListener } from '../events';
import type { UpstreamAccount } from '../plans/account-profile';
import type { RetryPolicy } from '../retry/retry-policy';
import type { UpstreamLimit } from '../scheduling/classify-upstream-limit';
import type { StreamEnd } from '../stream/create-pushed-upstream-stream';

export type { QwenClientCooldowns } from '../accounts/account-cooldowns';

/** Per-phase time limits; each fires as its own `UpstreamTimeoutError` phase. */
export interface QwenClientTimeouts {
  /** TCP + TLS handshake, default 10_000 (applies to the client's own agent only) */
  connectInMs?: number;
  /** time to the response headers, default 300_000 (the original proxy's 5-minute budget) */
  headersInMs?: number;
  /** largest gap between body chunks, default 120_000 */
  idleInMs?: number;
  /** whole call, retries and the streamed body included, default 1_800_000; 0 disables */
  totalInMs?: number;
}

/** Options of `createQwenClient`. */
export interface QwenClientOptions {
  /**
   * at least one; ids must be unique (`setAccounts` may later empty the list). Accounts with a
   * `profile` get their own endpoints, model list, model aliases, egress proxy and weight.
   */
  accounts: readonly UpstreamAccount[];
  /** used first whenever it is healthy */
  preferredAccountId?: string;
  /** injected dispatcher (MockAgent, a shared Agent…); not closed by `close()` */
  dispatcher?: Dispatcher;
  /** QWEN_API_BASE_URL: wins over every token's resource_url */
  baseUrlOverride?: string;
  timeouts?: QwenClientTimeouts;
  retry?: Partial<RetryPolicy>;
  /** a streaming call failing with `504 stream timeout` before any byte is retried non-streaming */
  streamFallback?: boolean;
  cooldowns?: QwenClientCooldowns;
  /** default `qwen-relay/<version> (node <v>; <platform>; <arch>)` */
  userAgent?: string;
  /** sockets per origin of the client's own agent, default 1024 (each open stream holds one) */
  connectionsPerOrigin?: number;
  onEvent?: QwenClientEventListener;
  /** quota-aware ranking of accounts (default: weighted round robin) */
  scheduler?: AccountScheduler;
  now?: () => number;
}

/** Options of one call. */
export interface QwenCallOptions {
  /**
   * Qwen-dialect body; for chat, `payload.stream === true` asks for SSE. `payload.model` routes
   * the call: only accounts serving it are used (none → `ModelNotServedError`, 404), and each
   * account's `modelAliases` rename it on the way out.
   */
  payload: Record<string, unknown>;
  /** the caller's abort: body destroyed, socket released, `AbortedError`, no retry */
  signal?: AbortSignal;
  /** sent as x-request-id (default: a random UUID) and echoed in events */
  requestId?: string;
  /** the account the conversation used last (session affinity), handed to the scheduler */
  preferAccountId?: string;
  /**
   * The client's request and the JSON text it was parsed from. What an attempt sends is
   * serialised reusing that text for every object it shares with the request (the very object,
   * at the same place): the request itself goes out as the text, a mapped one copies its
   * messages and tools from it. A coding agent's request is often hundreds of kilobytes. Not
   * used for a Messages or Responses call's translation to chat, which shares nothing with it.
   * The caller vouches that `JSON.parse(text)` gave `payload` and that nothing in it was changed.
   */
  sourceText?: PayloadSourceText;
}

/** A client's request and the JSON text it was parsed from (`QwenCallOptions.sourceText`). */
export interface PayloadSourceText {
  payload: Record<string, unknown>;
  text: string;
  /**
   * the UTF-8 bytes `text` was decoded from, when the caller has them: sent in its place (the
   * request unchanged, valid UTF-8) or copied from (the shared parts, all ASCII), which spares
   * encoding the text again
   */
  bytes?: Uint8Array;
}

/**
 * Quota-aware account choice. Without a scheduler the client rotates round robin (by weight)
 * over healthy accounts; with one, each selection asks it to rank the usable accounts.
 */
export interface AccountScheduler {
  /**
   * orders the usable accounts (healthy, serving the model, not yet tried in this call) by
   * preference; accounts left out are predicted spent and not used
   */
  rank(options: {
    candidates: readonly UpstreamAccount[];
    preferAccountId?: string | undefined;
  }): readonly UpstreamAccount[];
  /** why every usable account was left out, and when the first serves again */
  describeExhaustion(options: { candidates: readonly UpstreamAccount[] }): {
    message: string;
    retryAfterInMs: number;
  };
  /**
   * told of every cooldown (with the limit the upstream reported and its Retry-After, if any);
   * returns the cooldown to use when the upstream gave no Retry-After (e.g. until a plan window
   * resets), or undefined for the client's default
   */
  cooldownInMs?(options: {
    accountId: string;
    reason: CooldownReason;
    limit?: UpstreamLimit | undefined;
    retryAfterInMs?: number | undefined;
  }): number | undefined;
}

/** Options of an Anthropic Messages call (`QwenClient.anthropicMessages`). */
export interface AnthropicCallOptions extends QwenCallOptions {
  /**
   * the same request translated to the chat dialect, for accounts without a native endpoint; a
   * function is called once, when an attempt first sends the translation (a passthrough never
   * pays for it)
   */
  chatPayload: Record<string, unknown> | (() => Record<string, unknown>);
  /** send the chat translation to every account (e.g. the native endpoint rejected the model) */
  translateOnly?: boolean;
}

/**
 * Which wire protocol an Anthropic Messages or OpenAI Responses call was answered in: natively
 * (`anthropic`, `responses`) or as chat completions to translate (`chat`).
 */
export type UpstreamProtocol = 'anthropic' | 'chat' | 'responses';

/** A complete JSON answer. */
export interface UpstreamJsonResult {
  kind: 'json';
  status: number;
  headers: Record<string, string>;
  body: unknown;
  accountId: string;
  attempts: AttemptRecord[];
  /** the call asked for a stream but got JSON (fallback): re-emit it as SSE */
  fallbackFromStream?: boolean;
  /** Anthropic Messages / Responses calls: the native body, or a chat completion to translate */
  protocol?: UpstreamProtocol;
}

/** A streaming answer; iterate `body` once, `ended` tells how it finished (never rejects). */
export interface UpstreamStreamResult {
  kind: 'stream';
  status: number;
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array>;
  ended: Promise<StreamEnd>;
  accountId: string;
  attempts: AttemptRecord[];
  /** Anthropic Messages / Responses calls: native events, or chat chunks to translate */
  protocol?: UpstreamProtocol;
}

/** What a chat call resolves to. */
export type UpstreamResult = UpstreamJsonResult | UpstreamStreamResult;

/** The Qwen transport. */
export interface QwenClient {
  chatCompletion(options: QwenCallOptions): Promise<UpstreamResult>;
  /**
   * An OpenAI Responses call: passed through (`nativePayload`, the Responses body) to accounts
   * whose host serves Responses natively for the model, sent as chat completions (`payload`, the
   * translated body) to every other account; the result's `protocol` says which. Same request
   * path as chat: tokens, refresh-and-retry-once, retries before the first byte, timeouts, abort.
   */
  responses(
    options: QwenCallOptions & { nativePayload: Record<string, unknown> },
  ): Promise<UpstreamResult>;
  embeddings(options: QwenCallOptions): Promise<UpstreamJsonResult>;
  /**
   * Anthropic Messages on the same path and rules: an account whose host serves Anthropic
   * natively (`profile.endpoints.anthropicBaseUrl`) gets `payload` at `<base>/v1/messages`; any
   * other account (OAuth) gets `chatPayload` at its chat endpoint. `protocol` on the result says
   * which one answered.
   */
  anthropicMessages(
    options: AnthropicCallOptions,
  ): Promise<UpstreamResult & { protocol: UpstreamProtocol }>;
  /** each account with its cooldown, if one is running (expired cooldowns are not reported) */
  getAccountStates(): AccountCooldownState[];
  /**
   * Replaces the accounts (e.g. one discovered while running). Ids that stay keep their
   * cooldown and quota escalation, removed ones are forgotten, new ones start healthy; calls in
   * flight finish on the account they use. With an empty list calls fail with `NoAccountsError`.
   */
  setAccounts(accounts: readonly UpstreamAccount[]): void;
  /**
   * Closes the client's own agent (an injected dispatcher is left alone); later calls reject.
   * Waits for in-flight requests unless `force`, which destroys their sockets.
   */
  close(options?: { force?: boolean }): Promise<void>;
}
