import { type QwenClientEvent, raceWithSignal, type UpstreamToken } from '@qwen-relay/contracts';
import type { Dispatcher } from 'undici';
import type { AccountPool } from '../accounts/account-pool';
import type { AttemptRecord } from '../errors/attempt-record';
import { QwenClientError } from '../errors/qwen-client-error';
import { createRequestHeaders } from '../http/create-request-headers';
import { resolveAccountModel, type UpstreamAccount } from '../plans/account-profile';
import { explainPlanFailure } from '../plans/explain-plan-failure';
import { servesNativeResponses } from '../plans/serves-native-responses';
import { type AttemptPlan, applyRetryDecision } from '../retry/apply-retry-decision';
import { convertAbortReason } from '../retry/convert-abort-reason';
import type { RetryDecision, RetryPolicy } from '../retry/retry-policy';
import { classifyErrorLimit } from '../scheduling/classify-error-limit';
import { type AttemptTrace, traceAttempt } from '../tracing/trace-attempt';
import { convertPayloadToNonStreaming } from './convert-payload-to-non-streaming';
import { type AttemptSuccess, performAttempt } from './perform-attempt';
import { encodeWithSourceText } from './serialize-with-source-text';
import type { AccountScheduler, PayloadSourceText, UpstreamProtocol } from './types';

/** The OpenAI-compatible endpoints of an account's base URL. */
export type OpenAIEndpoint = 'chat' | 'embeddings';

/**
 * What one call asks for: an OpenAI endpoint, or Anthropic Messages / OpenAI Responses (each
 * native or translated to chat, per account).
 */
export type QwenCallEndpoint = OpenAIEndpoint | 'anthropic' | 'responses';

/** The Messages API version the native endpoints speak (Anthropic's only stable one). */
export const ANTHROPIC_VERSION = '2023-06-01';

/** Paths of the OpenAI-compatible endpoints under an account's base URL. */
export const OPENAI_ENDPOINT_PATHS: Record<OpenAIEndpoint, string> = {
  chat: '/chat/completions',
  embeddings: '/embeddings',
};

/** The accounts a call may use, and their order. */
export interface AccountChoice {
  /** serves the call's model (undefined: every account) */
  accept: ((account: UpstreamAccount) => boolean) | undefined;
  /** the scheduler's order (undefined: the pool's round robin) */
  rank: ((candidates: readonly UpstreamAccount[]) => readonly UpstreamAccount[]) | undefined;
}

/** One call in flight: the `runWithRetry` callbacks over the call's own state. */
export interface QwenCall {
  /** one attempt inside its span: token, then request */
  run(context: { attempt: number }): Promise<AttemptSuccess>;
  /** the policy's decision about a failed attempt, with this call's context */
  decide(context: { error: unknown; attempt: number }): RetryDecision;
  /** records the settled attempt, ends its span, cools accounts down, reports auth-retry outcomes */
  onSettled(context: {
    attempt: number;
    error?: unknown;
    decision?: RetryDecision;
    delayInMs?: number;
  }): void;
  /** applies a retry decision before the next attempt (see applyRetryDecision) */
  prepareRetry(context: {
    error: unknown;
    attempt: number;
    decision: Extract<RetryDecision, { retry: true }>;
  }): void;
  /** the account of the latest attempt */
  readonly accountId: string;
  /**
   * Anthropic Messages / Responses calls: the protocol the latest account answers in (native,
   * or `chat` to translate); undefined for chat and embeddings calls
   */
  readonly protocol: UpstreamProtocol | undefined;
  /** settled attempts so far (a copy) */
  readonly attempts: AttemptRecord[];
  /** the Retry-After the call's final error gets, when its failure cooled an account down */
  retryAfterInMsFor(error: unknown): number | undefined;
}

/** Options of {@link createQwenCall}. */
export type CreateQwenCallOptions = {
  endpoint: QwenCallEndpoint;
  payload: Record<string, unknown>;
  /**
   * for 'anthropic': the same request translated to chat, for accounts without a native
   * endpoint; a function is called once, when an attempt first sends the translation
   */
  chatPayload?: Record<string, unknown> | (() => Record<string, unknown>) | undefined;
  /** for 'anthropic': send the chat translation to every account */
  translateOnly: boolean;
  /** for 'responses': the Responses body for accounts that serve it natively (`payload` is the chat body) */
  nativePayload?: Record<string, unknown> | undefined;
  /** the client's request and its JSON text, reused when serialising (QwenCallOptions.sourceText) */
  sourceText?: PayloadSourceText | undefined;
  firstAccount: UpstreamAccount;
  choice: AccountChoice;
  requestId: string;
  /** the call scope's signal (caller abort and total deadline) */
  signal: AbortSignal;
  pool: AccountPool;
  policy: RetryPolicy;
  scheduler: AccountScheduler | undefined;
  streamFallback: boolean;
  emit: (event: QwenClientEvent) => void;
  now: () => number;
  userAgent: string;
  timeouts: { headersInMs: number; idleInMs: number };
  readDispatcher: (account: UpstreamAccount) => Dispatcher;
  /** the URL of an OpenAI-compatible endpoint for the account and its token's resource URL */
  readRequestUrl: (options: {
    account: UpstreamAccount;
    resourceUrl: string | undefined;
    endpoint: OpenAIEndpoint;
  }) => string;
};

/**
 * Creates the state of one call and the callbacks `runWithRetry` drives: which account and
 * token the next attempt uses, where it goes and what it sends (protocol, stream or not, the
 * body per upstream model), the attempt history and spans, and the cooldowns and events each
 * settled attempt causes. Retry decisions are applied by the pure `applyRetryDecision`; this
 * object only carries them out.
 */
export function createQwenCall(options: CreateQwenCallOptions): QwenCall {
  return new QwenCallState(options);
}

/*
 * One object per call with its methods on the prototype: the closures this was written with
 * (sixteen per call, and more per attempt) were a measurable share of a request's garbage.
 */
class QwenCallState implements QwenCall {
  private readonly options: CreateQwenCallOptions;
  private readonly acceptOption: { accept?: (account: UpstreamAccount) => boolean };
  private readonly tried: Set<string>;
  private readonly history: AttemptRecord[] = [];
  private account: UpstreamAccount;
  private token: UpstreamToken | undefined;
  private plan: AttemptPlan;
  private currentPayload: Record<string, unknown>;
  /** the chat translation as the next attempt sends it; made when first needed */
  private currentChatPayload: Record<string, unknown> | undefined;
  /** the caller's chat translation (`chatPayload`, called if a function) */
  private resolvedChatPayload: Record<string, unknown> | undefined;
  /** the stream was dropped (fallback): the chat translation goes without it too */
  private chatPayloadNonStreaming = false;
  /** serialised payload per protocol and upstream model name (accounts may alias the model) */
  private bodies: Map<string, string | Uint8Array> | undefined;
  /** the attempt ended before reaching upstream: the auth retry had nothing new to send */
  private skippedUpstream = false;
  private failedIn: 'token-source' | 'upstream' = 'upstream';
  private attemptStartedAtInMs: number;
  private lastStatus: number | undefined;
  private attemptTrace: AttemptTrace | undefined;
  /** the Retry-After of the error the call gives up with, when it cooled an account down */
  private finalCooldown: { error: QwenClientError; retryAfterInMs: number } | undefined;

  constructor(options: CreateQwenCallOptions) {
    this.options = options;
    const { accept } = options.choice;
    this.acceptOption = accept === undefined ? {} : { accept };
    this.tried = new Set([options.firstAccount.accountId]);
    this.account = options.firstAccount;
    this.plan = {
      stream: options.endpoint !== 'embeddings' && options.payload.stream === true,
      fallbackUsed: false,
      pendingInvalidation: undefined,
      afterAuthRetry: false,
      authFailure: undefined,
    };
    this.currentPayload = options.payload;
    this.attemptStartedAtInMs = options.now();
  }

  /*
   * Anthropic Messages go natively to hosts that serve them, translated to the others; Responses
   * go natively to hosts that serve them for the model, as chat to the others. Both are decided
   * per attempt, because a retry may rotate to an account of another kind.
   */
  private readProtocol(target: UpstreamAccount): UpstreamProtocol | undefined {
    const { endpoint, payload, nativePayload, translateOnly } = this.options;
    if (endpoint === 'responses') {
      const model = resolveAccountModel({ account: target, model: String(payload.model ?? '') });
      return nativePayload !== undefined && servesNativeResponses({ account: target, model })
        ? 'responses'
        : 'chat';
    }
    if (endpoint !== 'anthropic') return undefined;
    const native = target.profile?.endpoints?.anthropicBaseUrl !== undefined;
    return native && !translateOnly ? 'anthropic' : 'chat';
  }

  /** the chat translation, made once and only for an attempt that sends it */
  private readChatPayload(): Record<string, unknown> {
    if (this.currentChatPayload === undefined) {
      const { chatPayload, payload } = this.options;
      this.resolvedChatPayload ??=
        chatPayload === undefined
          ? payload
          : typeof chatPayload === 'function'
            ? chatPayload()
            : chatPayload;
      this.currentChatPayload = this.chatPayloadNonStreaming
        ? convertPayloadToNonStreaming(this.resolvedChatPayload)
        : this.resolvedChatPayload;
    }
    return this.currentChatPayload;
  }

  private readBody(target: UpstreamAccount): string | Uint8Array {
    const protocol = this.readProtocol(target);
    const body =
      protocol === 'chat'
        ? this.readChatPayload()
        : protocol === 'responses'
          ? (this.options.nativePayload ?? this.currentPayload)
          : this.currentPayload;
    const clientModel = typeof body.model === 'string' ? body.model : '';
    const upstreamModel = resolveAccountModel({ account: target, model: clientModel });
    const key = `${protocol ?? this.options.endpoint}:${upstreamModel}`;
    this.bodies ??= new Map();
    let text = this.bodies.get(key);
    if (text === undefined) {
      const { sourceText } = this.options;
      const sent = upstreamModel === clientModel ? body : { ...body, model: upstreamModel };
      // what the body shares with the client's request is copied from the client's own text or
      // bytes; a translation to chat (protocol 'chat' of a Messages or Responses call) shares
      // nothing
      text =
        sourceText === undefined || protocol === 'chat'
          ? JSON.stringify(sent)
          : encodeWithSourceText(sent, sourceText);
      this.bodies.set(key, text);
    }
    return text;
  }

  /** Where an attempt goes: a native endpoint the account's profile names, else its base URL. */
  private readAttemptUrl({
    target,
    protocol,
    resourceUrl,
  }: {
    target: UpstreamAccount;
    protocol: UpstreamProtocol | undefined;
    resourceUrl: string | undefined;
  }): string {
    const anthropicBaseUrl = target.profile?.endpoints?.anthropicBaseUrl;
    if (protocol === 'anthropic' && anthropicBaseUrl !== undefined) {
      return `${anthropicBaseUrl}/v1/messages`;
    }
    // the native Responses endpoint exists only where the account's profile names it
    const responsesUrl = target.profile?.endpoints?.responsesUrl;
    if (protocol === 'responses' && responsesUrl !== undefined) return responsesUrl;
    return this.options.readRequestUrl({
      account: target,
      resourceUrl,
      endpoint: this.options.endpoint === 'embeddings' ? 'embeddings' : 'chat',
    });
  }

  /** The token of the next attempt: at once when its source has one ready, else awaited. */
  private obtainToken(target: UpstreamAccount): UpstreamToken | Promise<UpstreamToken> {
    if (this.plan.pendingInvalidation === undefined && !this.options.signal.aborted) {
      // the common case (a token in memory, nothing due) takes no promise and no await
      const ready = target.peekAccessToken?.();
      if (ready !== undefined) {
        this.token = ready;
        return ready;
      }
    }
    return this.obtainTokenSlowly(target);
  }

  private async obtainTokenSlowly(target: UpstreamAccount): Promise<UpstreamToken> {
    const { signal, emit, requestId } = this.options;
    const reason = this.plan.pendingInvalidation;
    const previous = this.token;
    /*
     * Invariant (one refresh per storm of 401s): we hand back exactly the token that failed,
     * never "whatever is current", so the source can tell a stale failure (someone already
     * refreshed: it just returns the new token) from a live one (it refreshes once,
     * single-flight). Every other attempt asks again, so a long backoff never sends a token
     * that expired while we slept.
     */
    const pending =
      reason !== undefined && previous !== undefined
        ? target.invalidate(previous, reason)
        : target.getAccessToken({ signal });
    const next = await raceWithSignal({
      promise: pending,
      signal,
      convertReason: convertAbortReason,
    });
    const refreshed = previous !== undefined && next.accessToken !== previous.accessToken;
    if ((reason === 'unauthorized' || reason === 'forbidden') && !refreshed) {
      // nothing to refresh (a static API key): the same key would be refused again
      this.plan = { ...this.plan, pendingInvalidation: undefined };
      this.skippedUpstream = true;
      this.failedIn = 'upstream';
      throw this.plan.authFailure;
    }
    if (reason === 'suspected-expiry' && !refreshed) {
      // the source did not find the token suspect: this is a plain transient retry
      this.plan = { ...this.plan, afterAuthRetry: false };
    }
    if (reason !== undefined && this.plan.afterAuthRetry) {
      emit({ type: 'auth-retry', accountId: target.accountId, refreshed, requestId });
    }
    this.plan = { ...this.plan, pendingInvalidation: undefined };
    this.token = next;
    return next;
  }

  /** One attempt on `target`, inside its span (a token refresh it triggers nests under it). */
  private async attemptOn({
    target,
    attempt,
    protocol,
    trace,
  }: {
    target: UpstreamAccount;
    attempt: number;
    protocol: UpstreamProtocol | undefined;
    trace: AttemptTrace;
  }): Promise<AttemptSuccess> {
    const { options } = this;
    const { requestId } = options;
    this.attemptStartedAtInMs = options.now();
    this.lastStatus = undefined;
    this.skippedUpstream = false;
    this.failedIn = 'token-source';
    const pendingToken = this.obtainToken(target);
    const upstreamToken = pendingToken instanceof Promise ? await pendingToken : pendingToken;
    this.failedIn = 'upstream';
    const stream = this.plan.stream;
    options.emit({
      type: 'attempt',
      accountId: target.accountId,
      attempt,
      // where this attempt goes: a translated Messages or Responses call goes to chat
      endpoint: protocol ?? options.endpoint,
      stream,
      requestId,
    });
    const headers = createRequestHeaders({
      token: upstreamToken,
      stream,
      requestId,
      userAgent: options.userAgent,
    });
    if (protocol === 'anthropic') headers['anthropic-version'] = ANTHROPIC_VERSION;
    const url = this.readAttemptUrl({ target, protocol, resourceUrl: upstreamToken.resourceUrl });
    trace.setUrl(url);
    const outcome = await performAttempt({
      request: {
        dispatcher: options.readDispatcher(target),
        url,
        headers,
        body: this.readBody(target),
        headersTimeoutInMs: options.timeouts.headersInMs,
        idleTimeoutInMs: options.timeouts.idleInMs,
        signal: options.signal,
        accountId: target.accountId,
      },
      stream,
      explain: ({ status, message }) =>
        explainPlanFailure({
          accountId: target.accountId,
          profile: target.profile,
          apiKey: upstreamToken.accessToken,
          status,
          message,
        }),
    });
    this.lastStatus = outcome.response.status;
    return outcome;
  }

  private canRotate(): boolean {
    const { pool, choice } = this.options;
    const { rank } = choice;
    return rank === undefined
      ? pool.hasAvailable({ exclude: this.tried, ...this.acceptOption })
      : rank(pool.listUsable({ exclude: this.tried, ...this.acceptOption })).length > 0;
  }

  private coolDown({ error, decision }: { error: unknown; decision: RetryDecision }): void {
    if (!decision.cooldownReason) return;
    const { pool, scheduler, now } = this.options;
    const accountId = this.account.accountId;
    const retryAfterInMs = error instanceof QwenClientError ? error.retryAfterInMs : undefined;
    // the upstream's Retry-After wins over the scheduler's estimate (a plan window's reset)
    const scheduledInMs = scheduler?.cooldownInMs?.({
      accountId,
      reason: decision.cooldownReason,
      limit: error instanceof QwenClientError ? classifyErrorLimit(error) : undefined,
      retryAfterInMs,
    });
    const durationInMs = retryAfterInMs ?? scheduledInMs;
    pool.coolDown({
      accountId,
      reason: decision.cooldownReason,
      ...(durationInMs === undefined ? {} : { durationInMs }),
    });
    // the caller gets this error: its Retry-After is when an account serves again
    const recoveryInMs = pool.getEarliestRecoveryInMs(this.acceptOption);
    if (!decision.retry && error instanceof QwenClientError && recoveryInMs !== undefined) {
      this.finalCooldown = { error, retryAfterInMs: Math.max(0, recoveryInMs - now()) };
    }
  }

  run({ attempt }: { attempt: number }): Promise<AttemptSuccess> {
    const target = this.account;
    const protocol = this.readProtocol(target);
    const { endpoint, signal } = this.options;
    const trace = traceAttempt({
      attempt,
      accountId: target.accountId,
      endpointPath:
        protocol === 'anthropic'
          ? '/v1/messages'
          : protocol === 'responses'
            ? '/responses'
            : OPENAI_ENDPOINT_PATHS[endpoint === 'embeddings' ? 'embeddings' : 'chat'],
      stream: this.plan.stream,
    });
    this.attemptTrace = trace;
    return trace
      .run(() => this.attemptOn({ target, attempt, protocol, trace }))
      .catch((error: unknown) => {
        // an aborted call is not settled by the retry loop: its span ends here
        if (signal.aborted) trace.end({ outcome: 'aborted', errorCode: 'QWEN_RELAY_ABORTED' });
        throw error;
      });
  }

  decide({ error, attempt }: { error: unknown; attempt: number }): RetryDecision {
    const { policy, streamFallback } = this.options;
    return policy.shouldRetry({
      error,
      attempt,
      history: this.history,
      accountId: this.account.accountId,
      failedIn: this.failedIn,
      canRotate: this.canRotate(),
      // the non-streaming fallback re-emits a chat completion; a native Responses stream has none
      streamFallbackAvailable:
        this.plan.stream &&
        streamFallback &&
        !this.plan.fallbackUsed &&
        this.readProtocol(this.account) !== 'responses',
    });
  }

  onSettled({
    attempt,
    error,
    decision,
    delayInMs,
  }: {
    attempt: number;
    error?: unknown;
    decision?: RetryDecision;
    delayInMs?: number;
  }): void {
    const { emit, requestId, pool, now } = this.options;
    const { history } = this;
    const accountId = this.account.accountId;
    const status = error === undefined ? this.lastStatus : readUpstreamStatus(error);
    const code = readErrorCode(error);
    const outcome = error === undefined ? 'success' : decision?.retry ? decision.reason : 'final';
    this.attemptTrace?.end({
      outcome,
      ...(status === undefined ? {} : { status }),
      ...(code === undefined ? {} : { errorCode: code }),
      ...(delayInMs === undefined ? {} : { delayInMs }),
    });
    const last = history.at(-1);
    if (this.skippedUpstream && last) {
      // no request left: the earlier auth failure gets the final say, not a second record
      history[history.length - 1] = { ...last, outcome };
    } else {
      history.push({
        attempt,
        accountId,
        stream: this.plan.stream,
        outcome,
        durationInMs: now() - this.attemptStartedAtInMs,
        ...(status === undefined ? {} : { status }),
        ...(code === undefined ? {} : { code }),
        ...(delayInMs === undefined ? {} : { delayInMs }),
      });
    }
    if (decision) this.coolDown({ error, decision });
    if (this.plan.afterAuthRetry) {
      this.plan = { ...this.plan, afterAuthRetry: false };
      emit(
        error === undefined
          ? { type: 'auth-retry-succeeded', accountId, requestId }
          : {
              type: 'auth-retry-failed',
              accountId,
              code: code ?? 'UNKNOWN',
              requestId,
              ...(status === undefined ? {} : { status }),
            },
      );
    }
    if (error === undefined) pool.markSuccess(accountId);
  }

  prepareRetry({
    error,
    attempt,
    decision,
  }: {
    error: unknown;
    attempt: number;
    decision: Extract<RetryDecision, { retry: true }>;
  }): void {
    const { emit, requestId, pool, choice, payload } = this.options;
    const accountId = this.account.accountId;
    const status = readUpstreamStatus(error);
    const code = readErrorCode(error);
    emit({
      type: 'retry',
      accountId,
      attempt,
      reason: decision.reason,
      delayInMs: decision.delayInMs,
      requestId,
      ...(status === undefined ? {} : { status }),
      ...(code === undefined ? {} : { code }),
    });
    const step = applyRetryDecision({
      plan: this.plan,
      reason: decision.reason,
      error,
      status,
      accountId,
      requestId,
    });
    for (const event of step.events) emit(event);
    if (step.rotateAccount) {
      const { rank } = choice;
      const next = pool.select({
        exclude: this.tried,
        ...this.acceptOption,
        ...(rank === undefined ? {} : { rank }),
      });
      // decide() saw an available account and nothing ran since: select cannot miss
      if (!next) throw error;
      this.tried.add(next.accountId);
      this.account = next;
      this.token = undefined;
    }
    if (step.dropStream) {
      this.currentPayload = convertPayloadToNonStreaming(payload);
      this.chatPayloadNonStreaming = true;
      this.currentChatPayload = undefined;
      this.bodies?.clear();
    }
    this.plan = step.plan;
  }

  get accountId(): string {
    return this.account.accountId;
  }

  get protocol(): UpstreamProtocol | undefined {
    return this.readProtocol(this.account);
  }

  get attempts(): AttemptRecord[] {
    return [...this.history];
  }

  retryAfterInMsFor(error: unknown): number | undefined {
    const cooldown = this.finalCooldown;
    return cooldown !== undefined && cooldown.error === error ? cooldown.retryAfterInMs : undefined;
  }
}

function readUpstreamStatus(error: unknown): number | undefined {
  return error instanceof QwenClientError ? error.upstreamStatus : undefined;
}

/** The `code` of an error-like value (a QwenClientError, or a token source's error). */
function readErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
