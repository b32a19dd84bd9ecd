import type { AccountScheduler, UpstreamAccount } from '@qwen-relay/qwen-client';
import type { StateStore } from '@qwen-relay/state-store';
import type { ProxyAccount } from '../accounts/create-proxy-accounts';
import { createCounterBatcher, DEFAULT_COUNTER_INTERVAL_IN_MS } from './create-counter-batcher';
import { createPlanWindowTracker, type PlanWindowState } from './create-plan-window-tracker';
import { createSessionAffinity } from './create-session-affinity';
import { createUsageRecorder, type UsageRow } from './create-usage-recorder';
import { type PlanWindowLimits, resolvePlanWindowLimits } from './plan-window-definitions';

/** What one served request used, for the windows, the affinity and the usage counters. */
export interface ServedRequest {
  accountId: string;
  model: string;
  /** the client's name from PROXY_API_KEYS (`name:key`), or `anonymous` */
  client: string;
  sessionKey?: string | undefined;
  usage?:
    | {
        promptTokens?: number | undefined;
        completionTokens?: number | undefined;
        cachedTokens?: number | undefined;
      }
    | undefined;
}

/** The proxy's quota-aware scheduling, behind the state store. */
export interface QuotaScheduling {
  readonly store: StateStore;
  /** handed to the qwen client: ranks accounts by headroom, keeps sessions, sets plan cooldowns */
  readonly scheduler: AccountScheduler;
  /**
   * the account a conversation used last (undefined when unknown or the store is down); at once
   * when there is no key or the conversation is cached, else after a store read
   */
  lookupSession(sessionKey: string | undefined): string | undefined | Promise<string | undefined>;
  /**
   * counts a served request: at once in this process's plan windows, and in the store with
   * the other requests of the same interval (one `incrementMany` per `counterIntervalInMs`);
   * never throws (store failures are reported through onStoreError)
   */
  recordServed(served: ServedRequest): void;
  /** the accounts and their limits changed; resolves once their counts are loaded from the store */
  setAccounts(accounts: readonly ProxyAccount[]): Promise<void>;
  getWindows(accountId: string): PlanWindowState[];
  /** the usage rows in the store, after this process's pending counts are written */
  listUsage(): Promise<UsageRow[]>;
  close(): Promise<void>;
}

const formatReset = (atInMs: number) => new Date(atInMs).toISOString().replace('.000Z', 'Z');

/** The limits an account's config asks for (tier and `limits`). */
function limitsOf(account: ProxyAccount): PlanWindowLimits {
  const config = account.config as { tier?: 'lite' | 'pro'; limits?: PlanWindowLimits } | undefined;
  return resolvePlanWindowLimits({ tier: config?.tier, limits: config?.limits });
}

/**
 * Creates the scheduling. Choice rules: an account predicted spent (a window at its limit, or
 * reported spent by the upstream) is never chosen; the conversation's last account comes first
 * while it is usable; the rest go by the largest fraction of their windows left (an account
 * without windows counts as full), ties in weighted round-robin order.
 */
export function createQuotaScheduling({
  store,
  now = Date.now,
  onStoreError,
  onLimit,
  onServed,
  counterIntervalInMs = DEFAULT_COUNTER_INTERVAL_IN_MS,
}: {
  store: StateStore;
  now?: () => number;
  onStoreError?: (error: unknown) => void;
  /** every limit an account hit, for metrics */
  onLimit?: (event: { accountId: string; kind: string; window?: string }) => void;
  /** after counting, for per-process metrics */
  onServed?: (served: ServedRequest) => void;
  /** how often the served requests' counts are written to the store (default 1 s) */
  counterIntervalInMs?: number;
}): QuotaScheduling {
  const storeErrors = onStoreError === undefined ? {} : { onStoreError };
  const tracker = createPlanWindowTracker({ store, now, ...storeErrors });
  const affinity = createSessionAffinity({ store, now });
  const usage = createUsageRecorder({ store });
  const counters = createCounterBatcher({
    store,
    intervalInMs: counterIntervalInMs,
    ...storeErrors,
  });

  const scheduler: AccountScheduler = {
    rank({ candidates, preferAccountId }) {
      const usable = candidates.filter(
        (account) => tracker.getExhaustion(account.accountId) === undefined,
      );
      // one account (the common case) has nothing to rank against
      if (usable.length < 2) return usable;
      const preferred = usable.find((account) => account.accountId === preferAccountId);
      const headroom = new Map(
        usable.map((account) => [account.accountId, tracker.getHeadroom(account.accountId)]),
      );
      // Array.prototype.sort is stable: equal headroom keeps the rotation order
      const ranked = usable
        .filter((account) => account !== preferred)
        .sort((a, b) => (headroom.get(b.accountId) ?? 1) - (headroom.get(a.accountId) ?? 1));
      return preferred === undefined ? ranked : [preferred, ...ranked];
    },
    describeExhaustion({ candidates }) {
      const spent = candidates.flatMap((account: UpstreamAccount) => {
        const exhaustion = tracker.getExhaustion(account.accountId);
        return exhaustion === undefined ? [] : [{ accountId: account.accountId, ...exhaustion }];
      });
      const earliest = Math.min(...spent.map((entry) => entry.resetsAtInMs));
      const retryAfterInMs = Math.max(1_000, earliest - now());
      const detail = spent
        .map(
          (entry) =>
            `${entry.accountId} (${entry.windows.join(', ')} window spent, resets ${formatReset(entry.resetsAtInMs)})`,
        )
        .join('; ');
      return {
        retryAfterInMs,
        message: `Every account serving this model has spent a plan window: ${detail}. The first one serves again in ${Math.ceil(retryAfterInMs / 1000)} s.`,
      };
    },
    cooldownInMs({ accountId, reason, limit, retryAfterInMs }) {
      onLimit?.({
        accountId,
        kind: reason,
        ...(limit?.window === undefined ? {} : { window: limit.window }),
      });
      if (reason !== 'plan-window' || limit?.window === undefined) return undefined;
      // the upstream's Retry-After wins; else the window's own reset from our counts
      const untilInMs = tracker.markSpent({
        accountId,
        window: limit.window,
        ...(retryAfterInMs === undefined ? {} : { untilInMs: now() + retryAfterInMs }),
      });
      return Math.max(0, untilInMs - now());
    },
  };

  return {
    store,
    scheduler,
    lookupSession(sessionKey) {
      return sessionKey === undefined ? undefined : affinity.lookup(sessionKey);
    },
    recordServed(served) {
      // the plan windows and the usage counters: summed with the interval's other requests
      for (const counter of tracker.countServedLocally(served.accountId)) counters.add(counter, 1);
      usage.addTo(counters, {
        client: served.client,
        accountId: served.accountId,
        model: served.model,
        promptTokens: served.usage?.promptTokens,
        completionTokens: served.usage?.completionTokens,
        cachedTokens: served.usage?.cachedTokens,
      });
      if (served.sessionKey !== undefined) {
        affinity
          .remember({ sessionKey: served.sessionKey, accountId: served.accountId })
          ?.catch((error: unknown) => onStoreError?.(error));
      }
      onServed?.(served);
    },
    setAccounts(accounts) {
      tracker.configure(
        accounts.map((account) => ({ accountId: account.accountId, limits: limitsOf(account) })),
      );
      return tracker.refresh();
    },
    getWindows: (accountId) => tracker.getWindows(accountId),
    async listUsage() {
      await counters.flush();
      return usage.list();
    },
    async close() {
      tracker.close();
      await counters.flush();
      await store.close();
    },
  };
}
