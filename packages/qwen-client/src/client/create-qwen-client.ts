import { randomUUID } from 'node:crypto';
import {
  type InvalidationReason,
  type QwenClientEvent,
  raceWithSignal,
  type UpstreamToken,
} from '@qwen-relay/contracts';
import { type Dispatcher, ProxyAgent } from 'undici';
import { createAccountPool } from '../accounts/account-pool';
import { resolveBaseUrl } from '../endpoint/resolve-base-url';
import type { AttemptRecord } from '../errors/attempt-record';
import { ModelNotServedError } from '../errors/model-not-served-error';
import { NoAccountsError } from '../errors/no-accounts-error';
import { QwenClientError } from '../errors/qwen-client-error';
import { AllAccountsCoolingDownError, UpstreamConnectionError } from '../errors/upstream-errors';
import { emitQwenClientEvent } from '../events';
import { createDefaultAgent } from '../http/create-default-agent';
import { createRequestHeaders } from '../http/create-request-headers';
import { flattenHeaders } from '../http/flatten-headers';
import { resolveAccountModel, servesModel, type UpstreamAccount } from '../plans/account-profile';
import { explainPlanFailure } from '../plans/explain-plan-failure';
import { findClosestModels } from '../plans/find-closest-models';
import { ANY_MODEL } from '../plans/plan-models';
import { servesNativeResponses } from '../plans/serves-native-responses';
import { convertAbortReason } from '../retry/convert-abort-reason';
import { createRetryPolicy } from '../retry/retry-policy';
import { runWithRetry } from '../retry/run-with-retry';
import { classifyErrorLimit } from '../scheduling/classify-error-limit';
import { createUpstreamStream } from '../stream/create-upstream-stream';
import { type AttemptTrace, traceAttempt } from '../tracing/trace-attempt';
import { createDefaultUserAgent } from '../version';
import { convertPayloadToNonStreaming } from './convert-payload-to-non-streaming';
import { createCallScope } from './create-call-scope';
import { type AttemptSuccess, performAttempt } from './perform-attempt';
import type {
  QwenCallOptions,
  QwenClient,
  QwenClientOptions,
  UpstreamJsonResult,
  UpstreamProtocol,
  UpstreamResult,
} from './types';

type Endpoint = 'chat' | 'embeddings';
/**
 * What one call asks for: an OpenAI endpoint, or Anthropic Messages / OpenAI Responses (each
 * native or translated to chat, per account).
 */
type CallEndpoint = Endpoint | 'anthropic' | 'responses';

// the Messages API version the native endpoints speak (Anthropic's only stable one)
const ANTHROPIC_VERSION = '2023-06-01';

const endpointPaths: Record<Endpoint, string> = {
  chat: '/chat/completions',
  embeddings: '/embeddings',
};

/**
 * Creates the Qwen transport: account selection, tokens, headers, per-phase timeouts and the
 * retry policy around one request path shared by chat completions and embeddings.
 */
export function createQwenClient(options: QwenClientOptions): QwenClient {
  const now = options.now ?? Date.now;
  const onEvent = options.onEvent;
  const emit = (event: QwenClientEvent) => emitQwenClientEvent({ onEvent, event });
  const timeouts = {
    connectInMs: options.timeouts?.connectInMs ?? 10_000,
    headersInMs: options.timeouts?.headersInMs ?? 300_000,
    idleInMs: options.timeouts?.idleInMs ?? 120_000,
    totalInMs: options.timeouts?.totalInMs ?? 1_800_000,
  };
  const policy = createRetryPolicy(options.retry);
  // an injected dispatcher belongs to the caller; only our own agent is closed by close()
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    createDefaultAgent({
      connectTimeoutInMs: timeouts.connectInMs,
      ...(options.connectionsPerOrigin === undefined
        ? {}
        : { connectionsPerOrigin: options.connectionsPerOrigin }),
    });
  const pool = createAccountPool({
    accounts: options.accounts,
    now,
    onEvent: emit,
    ...(options.cooldowns === undefined ? {} : { cooldowns: options.cooldowns }),
    ...(options.preferredAccountId === undefined
      ? {}
      : { preferredAccountId: options.preferredAccountId }),
  });
  const userAgent = options.userAgent ?? createDefaultUserAgent();
  let closed = false;
  // request URLs per token resource URL: a few accounts, so no regex work on every attempt
  const requestUrls = new Map<string | undefined, Record<Endpoint, string>>();
  const readRequestUrl = ({
    account,
    resourceUrl,
    endpoint,
  }: {
    account: UpstreamAccount;
    resourceUrl: string | undefined;
    endpoint: Endpoint;
  }): string => {
    // an account's own endpoints (plans, standard keys) win over QWEN_API_BASE_URL and resource_url
    const accountBaseUrl = account.profile?.endpoints?.openAIBaseUrl;
    const key = accountBaseUrl === undefined ? resourceUrl : `account:${accountBaseUrl}`;
    let urls = requestUrls.get(key);
    if (urls === undefined) {
      const baseUrl =
        accountBaseUrl ?? resolveBaseUrl({ resourceUrl, baseUrlOverride: options.baseUrlOverride });
      urls = {
        chat: `${baseUrl}${endpointPaths.chat}`,
        embeddings: `${baseUrl}${endpointPaths.embeddings}`,
      };
      // resource URLs only change with a login; the bound keeps an odd token source harmless
      if (requestUrls.size >= 64) requestUrls.clear();
      requestUrls.set(key, urls);
    }
    return urls[endpoint];
  };

  // one ProxyAgent per egress proxy URL, created on first use, closed with the client
  const egressAgents = new Map<string, Dispatcher>();
  const readDispatcher = (account: UpstreamAccount): Dispatcher => {
    const proxyUrl = account.profile?.egressProxyUrl;
    if (proxyUrl === undefined) return dispatcher;
    let agent = egressAgents.get(proxyUrl);
    if (agent === undefined) {
      agent = new ProxyAgent({
        uri: proxyUrl,
        connections: options.connectionsPerOrigin ?? 1_024,
        pipelining: 1,
        keepAliveTimeout: 10_000,
        keepAliveMaxTimeout: 60_000,
        connect: { timeout: timeouts.connectInMs },
        proxyTls: { timeout: timeouts.connectInMs },
      });
      egressAgents.set(proxyUrl, agent);
    }
    return agent;
  };

  /** The accounts that may serve `model`; throws when none of the client's accounts does. */
  const createModelFilter = (
    model: string | undefined,
  ): ((account: UpstreamAccount) => boolean) | undefined => {
    if (model === undefined) return undefined;
    const accept = (account: UpstreamAccount) => servesModel({ account, model });
    const accounts = pool.list();
    if (accounts.length > 0 && !accounts.some(accept)) {
      const served = accounts.flatMap((account) =>
        (account.profile?.models ?? []).filter((name) => name !== ANY_MODEL),
      );
      throw new ModelNotServedError({
        model,
        closestModels: findClosestModels({ model, candidates: served }),
      });
    }
    return accept;
  };

  async function execute({
    endpoint,
    payload,
    chatPayload,
    translateOnly = false,
    nativePayload,
    signal,
    requestId = randomUUID(),
    preferAccountId,
  }: QwenCallOptions & {
    endpoint: CallEndpoint;
    chatPayload?: Record<string, unknown>;
    translateOnly?: boolean;
    /** for 'responses': the Responses body for accounts that serve it natively (`payload` is the chat body) */
    nativePayload?: Record<string, unknown>;
  }): Promise<UpstreamResult> {
    if (closed) {
      throw new UpstreamConnectionError({ retryable: false, message: 'The Qwen client is closed' });
    }
    const scope = createCallScope({ callerSignal: signal, totalInMs: timeouts.totalInMs });
    const history: AttemptRecord[] = [];
    /** the Retry-After of the error the call gives up with, when it cooled an account down */
    let finalCooldown: { error: QwenClientError; retryAfterInMs: number } | undefined;
    let handedOff = false;
    try {
      if (scope.signal.aborted) throw convertAbortReason(scope.signal);
      // a request goes only to accounts that serve its model (accounts without a list serve all)
      const accept = createModelFilter(
        typeof payload.model === 'string' ? payload.model : undefined,
      );
      const scheduler = options.scheduler;
      const rank =
        scheduler === undefined
          ? undefined
          : (candidates: readonly UpstreamAccount[]) =>
              scheduler.rank({ candidates, preferAccountId });
      const firstAccount = pool.select({
        ...(accept === undefined ? {} : { accept }),
        ...(rank === undefined ? {} : { rank }),
      });
      if (!firstAccount) {
        if (pool.getStates().length === 0) throw new NoAccountsError();
        const usable = pool.listUsable(accept === undefined ? {} : { accept });
        // healthy accounts exist, but the scheduler predicts every one of them spent
        if (scheduler !== undefined && usable.length > 0) {
          const { message, retryAfterInMs } = scheduler.describeExhaustion({ candidates: usable });
          throw new AllAccountsCoolingDownError({ message, retryAfterInMs });
        }
        throw createAllAccountsCoolingDownError(accept);
      }
      const wantsStream = endpoint !== 'embeddings' && payload.stream === true;
      // Anthropic Messages go natively to hosts that serve them, translated to the others
      // Responses go natively to hosts that serve them for the model, as chat to the others;
      // both are decided per attempt, because a retry may rotate to an account of another kind
      const readProtocol = (account: UpstreamAccount): UpstreamProtocol | undefined => {
        if (endpoint === 'responses') {
          const model = resolveAccountModel({ account, model: String(payload.model ?? '') });
          return nativePayload !== undefined && servesNativeResponses({ account, model })
            ? 'responses'
            : 'chat';
        }
        if (endpoint !== 'anthropic') return undefined;
        const native = account.profile?.endpoints?.anthropicBaseUrl !== undefined;
        return native && !translateOnly ? 'anthropic' : 'chat';
      };
      const tried = new Set([firstAccount.accountId]);
      const state = {
        account: firstAccount,
        token: undefined as UpstreamToken | undefined,
        pendingInvalidation: undefined as InvalidationReason | undefined,
        stream: wantsStream,
        payload,
        chatPayload: chatPayload ?? payload,
        /** serialised payload per protocol and upstream model name (accounts may alias the model) */
        bodyTexts: new Map<string, string>(),
        fallbackUsed: false,
        afterAuthRetry: false,
        /** the auth failure an 'auth' retry is about to retry */
        authFailure: undefined as unknown,
        /** the attempt ended before reaching upstream: the auth retry had nothing new to send */
        skippedUpstream: false,
        failedIn: 'upstream' as 'token-source' | 'upstream',
        attemptStartedAtInMs: now(),
        lastStatus: undefined as number | undefined,
        attemptTrace: undefined as AttemptTrace | undefined,
      };

      const readBodyText = (account: UpstreamAccount): string => {
        const protocol = readProtocol(account);
        const body =
          protocol === 'chat'
            ? state.chatPayload
            : protocol === 'responses'
              ? (nativePayload ?? state.payload)
              : state.payload;
        const clientModel = typeof body.model === 'string' ? body.model : '';
        const upstreamModel = resolveAccountModel({ account, model: clientModel });
        const key = `${protocol ?? endpoint}:${upstreamModel}`;
        let text = state.bodyTexts.get(key);
        if (text === undefined) {
          text = JSON.stringify(
            upstreamModel === clientModel ? body : { ...body, model: upstreamModel },
          );
          state.bodyTexts.set(key, text);
        }
        return text;
      };

      const obtainToken = async ({
        account,
        signal: callSignal,
      }: {
        account: UpstreamAccount;
        signal: AbortSignal;
      }): Promise<UpstreamToken> => {
        const reason = state.pendingInvalidation;
        const previous = state.token;
        /*
         * Invariant (one refresh per storm of 401s): we hand back exactly the token that
         * failed, never "whatever is current", so the source can tell a stale failure (someone
         * already refreshed: it just returns the new token) from a live one (it refreshes once,
         * single-flight). Every other attempt asks again, so a long backoff never sends a token
         * that expired while we slept.
         */
        const pending =
          reason !== undefined && previous !== undefined
            ? account.invalidate(previous, reason)
            : account.getAccessToken({ signal: callSignal });
        const token = await raceWithSignal({
          promise: pending,
          signal: callSignal,
          convertReason: convertAbortReason,
        });
        const refreshed = previous !== undefined && token.accessToken !== previous.accessToken;
        if ((reason === 'unauthorized' || reason === 'forbidden') && !refreshed) {
          // nothing to refresh (a static API key): the same key would be refused again
          state.pendingInvalidation = undefined;
          state.skippedUpstream = true;
          state.failedIn = 'upstream';
          throw state.authFailure;
        }
        if (reason === 'suspected-expiry' && !refreshed) {
          // the source did not find the token suspect: this is a plain transient retry
          state.afterAuthRetry = false;
        }
        if (reason !== undefined && state.afterAuthRetry) {
          emit({ type: 'auth-retry', accountId: account.accountId, refreshed, requestId });
        }
        state.pendingInvalidation = undefined;
        state.token = token;
        return token;
      };

      const success = await runWithRetry<AttemptSuccess>({
        policy,
        signal: scope.signal,
        now,
        run: ({ attempt }) => {
          const account = state.account;
          const protocol = readProtocol(account);
          // where this attempt goes: a translated Messages or Responses call goes to chat
          const attemptEndpoint = protocol ?? endpoint;
          const attemptTrace = traceAttempt({
            attempt,
            accountId: account.accountId,
            endpointPath:
              attemptEndpoint === 'responses'
                ? '/responses'
                : attemptEndpoint === 'anthropic'
                  ? '/v1/messages'
                  : endpointPaths[attemptEndpoint],
            stream: state.stream,
          });
          state.attemptTrace = attemptTrace;
          return attemptTrace
            .run(async () => {
              state.attemptStartedAtInMs = now();
              state.lastStatus = undefined;
              state.skippedUpstream = false;
              state.failedIn = 'token-source';
              const token = await obtainToken({ account, signal: scope.signal });
              state.failedIn = 'upstream';
              emit({
                type: 'attempt',
                accountId: account.accountId,
                attempt,
                endpoint: attemptEndpoint,
                stream: state.stream,
                requestId,
              });
              const headers = createRequestHeaders({
                token,
                stream: state.stream,
                requestId,
                userAgent,
              });
              if (protocol === 'anthropic') headers['anthropic-version'] = ANTHROPIC_VERSION;
              const anthropicBaseUrl = account.profile?.endpoints?.anthropicBaseUrl;
              // the native Responses endpoint exists only where the account's profile names it
              const responsesUrl = account.profile?.endpoints?.responsesUrl;
              const url =
                protocol === 'anthropic' && anthropicBaseUrl !== undefined
                  ? `${anthropicBaseUrl}/v1/messages`
                  : protocol === 'responses' && responsesUrl !== undefined
                    ? responsesUrl
                    : readRequestUrl({
                        account,
                        resourceUrl: token.resourceUrl,
                        endpoint: endpoint === 'embeddings' ? 'embeddings' : 'chat',
                      });
              attemptTrace.setUrl(url);
              const outcome = await performAttempt({
                dispatcher: readDispatcher(account),
                url,
                headers,
                body: readBodyText(account),
                stream: state.stream,
                headersTimeoutInMs: timeouts.headersInMs,
                idleTimeoutInMs: timeouts.idleInMs,
                signal: scope.signal,
                accountId: account.accountId,
                explain: ({ status, message }) =>
                  explainPlanFailure({
                    accountId: account.accountId,
                    profile: account.profile,
                    apiKey: token.accessToken,
                    status,
                    message,
                  }),
              });
              state.lastStatus = outcome.response.status;
              return outcome;
            })
            .catch((error: unknown) => {
              // an aborted call is not settled by the retry loop: its span ends here
              if (scope.signal.aborted) {
                attemptTrace.end({ outcome: 'aborted', errorCode: 'QWEN_RELAY_ABORTED' });
              }
              throw error;
            });
        },
        decide: ({ error, attempt }) =>
          policy.shouldRetry({
            error,
            attempt,
            history,
            accountId: state.account.accountId,
            failedIn: state.failedIn,
            canRotate:
              rank === undefined
                ? pool.hasAvailable({ exclude: tried, ...(accept === undefined ? {} : { accept }) })
                : rank(
                    pool.listUsable({
                      exclude: tried,
                      ...(accept === undefined ? {} : { accept }),
                    }),
                  ).length > 0,
            // the non-streaming fallback re-emits a chat completion; a native Responses stream has none
            streamFallbackAvailable:
              state.stream &&
              options.streamFallback === true &&
              !state.fallbackUsed &&
              readProtocol(state.account) !== 'responses',
          }),
        onSettled: ({ attempt, error, decision, delayInMs }) => {
          const accountId = state.account.accountId;
          const status = error === undefined ? state.lastStatus : readUpstreamStatus(error);
          const code = readErrorCode(error);
          const outcome =
            error === undefined ? 'success' : decision?.retry ? decision.reason : 'final';
          state.attemptTrace?.end({
            outcome,
            ...(status === undefined ? {} : { status }),
            ...(code === undefined ? {} : { errorCode: code }),
            ...(delayInMs === undefined ? {} : { delayInMs }),
          });
          const last = history.at(-1);
          if (state.skippedUpstream && last) {
            // no request left: the earlier auth failure gets the final say, not a second record
            history[history.length - 1] = { ...last, outcome };
          } else {
            history.push({
              attempt,
              accountId,
              stream: state.stream,
              outcome,
              durationInMs: now() - state.attemptStartedAtInMs,
              ...(status === undefined ? {} : { status }),
              ...(code === undefined ? {} : { code }),
              ...(delayInMs === undefined ? {} : { delayInMs }),
            });
          }
          if (decision?.cooldownReason) {
            const retryAfterInMs =
              error instanceof QwenClientError ? error.retryAfterInMs : undefined;
            // the upstream's Retry-After wins over the scheduler's estimate (a plan window's reset)
            const scheduledInMs = options.scheduler?.cooldownInMs?.({
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
            const recoveryInMs = pool.getEarliestRecoveryInMs(
              accept === undefined ? {} : { accept },
            );
            if (!decision.retry && error instanceof QwenClientError && recoveryInMs !== undefined) {
              finalCooldown = { error, retryAfterInMs: Math.max(0, recoveryInMs - now()) };
            }
          }
          if (state.afterAuthRetry) {
            state.afterAuthRetry = false;
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
        },
        prepareRetry: ({ error, attempt, decision }) => {
          const accountId = state.account.accountId;
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
          switch (decision.reason) {
            case 'auth':
            case 'suspected-expiry':
              emit({ type: 'auth-error-detected', accountId, status: status ?? 401, requestId });
              state.pendingInvalidation =
                decision.reason === 'suspected-expiry'
                  ? 'suspected-expiry'
                  : status === 403
                    ? 'forbidden'
                    : 'unauthorized';
              state.afterAuthRetry = true;
              state.authFailure = error;
              break;
            case 'stream-fallback':
              emit({ type: 'stream-fallback', accountId, requestId });
              // the 504 may also be an expired token: the token source decides if it is suspect
              state.pendingInvalidation = 'suspected-expiry';
              state.stream = false;
              state.fallbackUsed = true;
              state.payload = convertPayloadToNonStreaming(payload);
              state.chatPayload = convertPayloadToNonStreaming(chatPayload ?? payload);
              state.bodyTexts.clear();
              break;
            case 'rotate-account': {
              const next = pool.select({
                exclude: tried,
                ...(accept === undefined ? {} : { accept }),
                ...(rank === undefined ? {} : { rank }),
              });
              // decide() saw an available account and nothing ran since: select cannot miss
              if (!next) throw error;
              tried.add(next.accountId);
              state.account = next;
              state.token = undefined;
              state.pendingInvalidation = undefined;
              state.afterAuthRetry = false;
              break;
            }
            default:
              break;
          }
        },
      });

      const accountId = state.account.accountId;
      const protocol = readProtocol(state.account);
      const common = {
        status: success.response.status,
        headers: flattenHeaders(success.response.headers),
        accountId,
        attempts: [...history],
        ...(protocol === undefined ? {} : { protocol }),
      };
      if (success.kind === 'json') {
        return {
          kind: 'json',
          ...common,
          body: success.body,
          ...(wantsStream ? { fallbackFromStream: true } : {}),
        };
      }
      const { body, ended } = createUpstreamStream({
        body: success.response.body,
        signal: scope.signal,
        accountId,
      });
      // the deadline and the caller's abort keep guarding the body until it ends
      handedOff = true;
      void ended.then(() => scope.dispose());
      return { kind: 'stream', ...common, body, ended };
    } catch (error) {
      if (!(error instanceof QwenClientError)) throw error;
      // the error is built once more, complete with what the call learned
      throw error.withCallOutcome({
        attempts: [...history],
        ...(finalCooldown?.error === error ? { retryAfterInMs: finalCooldown.retryAfterInMs } : {}),
      });
    } finally {
      if (!handedOff) scope.dispose();
    }
  }

  function createAllAccountsCoolingDownError(
    accept: ((account: UpstreamAccount) => boolean) | undefined,
  ): AllAccountsCoolingDownError {
    const earliestInMs =
      pool.getEarliestRecoveryInMs(accept === undefined ? {} : { accept }) ?? now();
    const retryAfterInMs = Math.max(0, earliestInMs - now());
    const candidates = new Set(
      pool
        .list()
        .filter((account) => accept === undefined || accept(account))
        .map((account) => account.accountId),
    );
    const summary = pool
      .getStates()
      .filter((state) => candidates.has(state.accountId))
      .map((state) => `${state.accountId} (${state.reason ?? 'ok'})`)
      .join(', ');
    return new AllAccountsCoolingDownError({
      message: `All Qwen accounts are cooling down: ${summary}; retry in ${Math.ceil(retryAfterInMs / 1000)} s`,
      retryAfterInMs,
    });
  }

  return {
    chatCompletion: (callOptions) => execute({ ...callOptions, endpoint: 'chat' }),
    responses: ({ nativePayload, ...callOptions }) =>
      execute({ ...callOptions, nativePayload, endpoint: 'responses' }),
    embeddings: async (callOptions) =>
      (await execute({ ...callOptions, endpoint: 'embeddings' })) as UpstreamJsonResult,
    anthropicMessages: async (callOptions) =>
      (await execute({ ...callOptions, endpoint: 'anthropic' })) as UpstreamResult & {
        protocol: UpstreamProtocol;
      },
    getAccountStates: () => pool.getStates(),
    setAccounts: (accounts) => pool.setAccounts(accounts),
    async close({ force = false } = {}) {
      closed = true;
      const egress = [...egressAgents.values()];
      egressAgents.clear();
      await Promise.all(egress.map((agent) => (force ? agent.destroy() : agent.close())));
      if (!ownsDispatcher) return;
      // graceful close waits for in-flight bodies; force destroys their sockets now
      await (force ? dispatcher.destroy() : dispatcher.close());
    },
  };
}

function readUpstreamStatus(error: unknown): number | undefined {
  return error instanceof QwenClientError ? error.upstreamStatus : undefined;
}

function readErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
