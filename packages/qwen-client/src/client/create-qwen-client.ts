import { randomUUID } from 'node:crypto';
import type { QwenClientEvent } from '@qwen-relay/contracts';
import { type Dispatcher, ProxyAgent } from 'undici';
import { createAccountPool } from '../accounts/account-pool';
import { resolveBaseUrl } from '../endpoint/resolve-base-url';
import { ModelNotServedError } from '../errors/model-not-served-error';
import { NoAccountsError } from '../errors/no-accounts-error';
import { QwenClientError } from '../errors/qwen-client-error';
import { AllAccountsCoolingDownError, UpstreamConnectionError } from '../errors/upstream-errors';
import { emitQwenClientEvent } from '../events';
import { createDefaultAgent } from '../http/create-default-agent';
import { flattenHeaders } from '../http/flatten-headers';
import { servesModel, type UpstreamAccount } from '../plans/account-profile';
import { findClosestModels } from '../plans/find-closest-models';
import { ANY_MODEL } from '../plans/plan-models';
import { convertAbortReason } from '../retry/convert-abort-reason';
import { createRetryPolicy } from '../retry/retry-policy';
import { runWithRetrySteps } from '../retry/run-with-retry';
import { createDefaultUserAgent } from '../version';
import { createCallScope } from './create-call-scope';
import {
  type AccountChoice,
  createQwenCall,
  OPENAI_ENDPOINT_PATHS,
  type OpenAIEndpoint,
  type QwenCall,
  type QwenCallEndpoint,
} from './create-qwen-call';
import type { AttemptSuccess } from './perform-attempt';
import type {
  QwenCallOptions,
  QwenClient,
  QwenClientOptions,
  UpstreamJsonResult,
  UpstreamProtocol,
  UpstreamResult,
} from './types';

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
  const requestUrls = new Map<string | undefined, Record<OpenAIEndpoint, string>>();
  const readRequestUrl = ({
    account,
    resourceUrl,
    endpoint,
  }: {
    account: UpstreamAccount;
    resourceUrl: string | undefined;
    endpoint: OpenAIEndpoint;
  }): string => {
    // an account's own endpoints (plans, standard keys) win over QWEN_API_BASE_URL and resource_url
    const accountBaseUrl = account.profile?.endpoints?.openAIBaseUrl;
    const key = accountBaseUrl === undefined ? resourceUrl : `account:${accountBaseUrl}`;
    let urls = requestUrls.get(key);
    if (urls === undefined) {
      const baseUrl =
        accountBaseUrl ?? resolveBaseUrl({ resourceUrl, baseUrlOverride: options.baseUrlOverride });
      urls = {
        chat: `${baseUrl}${OPENAI_ENDPOINT_PATHS.chat}`,
        embeddings: `${baseUrl}${OPENAI_ENDPOINT_PATHS.embeddings}`,
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

  // the endpoint is an argument of its own: `{ ...callOptions, endpoint }` costs ~0.5 µs a call on
  // Node 20 (a property added to an object made by a spread takes V8's slow path there)
  async function execute(
    callOptions: QwenCallOptions & {
      /** for 'anthropic': the chat translation, for accounts without a native endpoint */
      chatPayload?: Record<string, unknown> | (() => Record<string, unknown>) | undefined;
      /** for 'anthropic': send the chat translation to every account */
      translateOnly?: boolean | undefined;
      /** for 'responses': the Responses body for accounts that serve it natively (`payload` is the chat body) */
      nativePayload?: Record<string, unknown> | undefined;
    },
    endpoint: QwenCallEndpoint,
  ): Promise<UpstreamResult> {
    const {
      payload,
      chatPayload,
      translateOnly = false,
      nativePayload,
      signal,
      requestId = randomUUID(),
      preferAccountId,
      sourceText,
    } = callOptions;
    if (closed) {
      throw new UpstreamConnectionError({ retryable: false, message: 'The Qwen client is closed' });
    }
    const scope = createCallScope({ callerSignal: signal, totalInMs: timeouts.totalInMs });
    let call: QwenCall | undefined;
    let handedOff = false;
    try {
      if (scope.signal.aborted) throw convertAbortReason(scope.signal);
      const choice = chooseAccounts({ payload, preferAccountId });
      const firstAccount = selectFirstAccount(choice);
      const wantsStream = endpoint !== 'embeddings' && payload.stream === true;
      const current = createQwenCall({
        endpoint,
        payload,
        chatPayload,
        translateOnly,
        nativePayload,
        sourceText,
        firstAccount,
        choice,
        requestId,
        signal: scope.signal,
        pool,
        policy,
        scheduler: options.scheduler,
        streamFallback: options.streamFallback === true,
        emit,
        now,
        userAgent,
        timeouts,
        readDispatcher,
        readRequestUrl,
      });
      call = current;
      const success = await runWithRetrySteps<AttemptSuccess>({
        policy,
        signal: scope.signal,
        now,
        steps: current,
      });
      const accountId = current.accountId;
      const protocol = current.protocol;
      const common = {
        status: success.response.status,
        headers: flattenHeaders(success.response.headers),
        accountId,
        attempts: current.attempts,
        // Messages and Responses calls: the native body, or a chat completion to translate
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
      const { body, ended } = success.response;
      // the deadline and the caller's abort keep guarding the body until it ends
      handedOff = true;
      void ended.then(() => scope.dispose());
      return { kind: 'stream', ...common, body, ended };
    } catch (error) {
      if (!(error instanceof QwenClientError)) throw error;
      // the error is built once more, complete with what the call learned
      const retryAfterInMs = call?.retryAfterInMsFor(error);
      throw error.withCallOutcome({
        attempts: call?.attempts ?? [],
        ...(retryAfterInMs === undefined ? {} : { retryAfterInMs }),
      });
    } finally {
      if (!handedOff) scope.dispose();
    }
  }

  /** The accounts a call may use (they serve its model) and the scheduler's order. */
  function chooseAccounts({
    payload,
    preferAccountId,
  }: {
    payload: Record<string, unknown>;
    preferAccountId: string | undefined;
  }): AccountChoice {
    // a request goes only to accounts that serve its model (accounts without a list serve all)
    const accept = createModelFilter(typeof payload.model === 'string' ? payload.model : undefined);
    const scheduler = options.scheduler;
    const rank =
      scheduler === undefined
        ? undefined
        : (candidates: readonly UpstreamAccount[]) =>
            scheduler.rank({ candidates, preferAccountId });
    return { accept, rank };
  }

  /** The call's first account, or the error that says why there is none. */
  function selectFirstAccount({ accept, rank }: AccountChoice): UpstreamAccount {
    // both members, set or undefined: two conditional spreads cost ~0.5 µs on Node 20
    const firstAccount = pool.select({ accept, rank });
    if (firstAccount) return firstAccount;
    if (pool.getStates().length === 0) throw new NoAccountsError();
    const usable = pool.listUsable(accept === undefined ? {} : { accept });
    // healthy accounts exist, but the scheduler predicts every one of them spent
    if (options.scheduler !== undefined && usable.length > 0) {
      const { message, retryAfterInMs } = options.scheduler.describeExhaustion({
        candidates: usable,
      });
      throw new AllAccountsCoolingDownError({ message, retryAfterInMs });
    }
    throw createAllAccountsCoolingDownError(accept);
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
    chatCompletion: (callOptions) => execute(callOptions, 'chat'),
    responses: (callOptions) => execute(callOptions, 'responses'),
    embeddings: async (callOptions) =>
      (await execute(callOptions, 'embeddings')) as UpstreamJsonResult,
    anthropicMessages: async (callOptions) =>
      (await execute(callOptions, 'anthropic')) as UpstreamResult & {
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
