import type { IncrementStateOptions, StateStore } from '@qwen-relay/state-store';
import type { BatchedCounter } from './create-counter-batcher';
import {
  bucketTtlInMs,
  computeWindowResetInMs,
  listWindowBuckets,
  newestWindowBucket,
  type PlanWindowLimits,
  type PlanWindowName,
  planWindowNames,
  planWindowShapes,
} from './plan-window-definitions';

/** One window of one account, as shown in /health, /metrics and the CLI. */
export interface PlanWindowState {
  name: PlanWindowName;
  used: number;
  /** absent for a window that is only counted */
  limit?: number;
  /** when the window frees capacity again (epoch ms) */
  resetsAtInMs: number;
  /** counted up to its limit, or reported spent by the upstream until `resetsAtInMs` */
  spent: boolean;
}

/** Why an account is predicted spent, and until when. */
export interface PlanWindowExhaustion {
  windows: PlanWindowName[];
  /** when every spent window has freed capacity again (epoch ms) */
  resetsAtInMs: number;
}

/** The store increments of one served request, and what to do with their totals. */
export interface PlanWindowIncrements {
  increments: IncrementStateOptions[];
  settle(totals: readonly number[]): void;
}

/** Counts requests per account and window in the state store and predicts spent accounts. */
export interface PlanWindowTracker {
  /** sets the accounts and their limits (accounts not listed are forgotten) */
  configure(accounts: ReadonlyArray<{ accountId: string; limits: PlanWindowLimits }>): void;
  /** counts one request served by the account in every window */
  record(accountId: string): Promise<void>;
  /**
   * counts one request locally at once and returns the store increments that record it (one per
   * window), for a caller that sends them with other counters in one `incrementMany`; `settle`
   * takes the store's totals (other processes included) in the same order
   */
  countServed(accountId: string): PlanWindowIncrements;
  /**
   * counts one request locally at once, like `countServed`, and returns the store counters of
   * its windows' newest buckets (one per window, the same objects until a bucket changes) for a
   * {@link CounterBatcher} to add one to; each counter's `settle` takes the store's total
   */
  countServedLocally(accountId: string): readonly PlanWindowCounter[];
  /** the upstream said a window is spent: no more requests to it until `untilInMs` */
  /** returns the reset time it recorded; the store write happens in the background */
  markSpent(options: { accountId: string; window: PlanWindowName; untilInMs?: number }): number;
  /** the windows with a limit or reported spent (windows only counted are left out) */
  getWindows(accountId: string): PlanWindowState[];
  /** the smallest fraction left over the windows with a limit (1 when it has none) */
  getHeadroom(accountId: string): number;
  /** undefined while the account has capacity in every window */
  getExhaustion(accountId: string): PlanWindowExhaustion | undefined;
  /** reloads every account's counters from the store (other processes' counts included) */
  refresh(): Promise<void>;
  close(): void;
}

/** The store counter of one window's newest bucket. */
export interface PlanWindowCounter extends BatchedCounter {
  readonly bucket: number;
  readonly ttlInMs: number;
  readonly settle: (total: number) => void;
}

interface AccountWindows {
  limits: PlanWindowLimits;
  countsByWindow: Map<PlanWindowName, Map<number, number>>;
  spentUntilByWindow: Map<PlanWindowName, number>;
  /** the newest buckets' store counters, in `planWindowNames` order (built once per bucket) */
  newestCounters: PlanWindowCounter[];
}

const counterKey = (accountId: string, window: PlanWindowName, bucket: number) =>
  `windows:${accountId}:${window}:${bucket}`;
const spentKey = (accountId: string, window: PlanWindowName) => `spent:${accountId}:${window}`;
const NOT_LIMITED = { spent: false, left: 1 } as const;

/**
 * Creates the tracker. Counts live in the state store (so they survive restarts and are shared
 * by every process on the store); reads are served from a local copy refreshed every
 * `refreshIntervalInMs` and updated by each increment's answer, so choosing an account never
 * waits for the store. While the store is unavailable counts go on locally (per process) and
 * are not lost from this process's view.
 */
export function createPlanWindowTracker({
  store,
  refreshIntervalInMs = 5_000,
  now = Date.now,
  onStoreError,
}: {
  store: StateStore;
  refreshIntervalInMs?: number;
  now?: () => number;
  onStoreError?: (error: unknown) => void;
}): PlanWindowTracker {
  const accounts = new Map<string, AccountWindows>();

  const windowsOf = (accountId: string): AccountWindows => {
    let entry = accounts.get(accountId);
    if (entry === undefined) {
      entry = {
        limits: {},
        countsByWindow: new Map(),
        spentUntilByWindow: new Map(),
        newestCounters: [],
      };
      accounts.set(accountId, entry);
    }
    return entry;
  };

  const sumWindow = (entry: AccountWindows, window: PlanWindowName, nowInMs: number): number => {
    const counts = entry.countsByWindow.get(window);
    if (counts === undefined || counts.size === 0) return 0;
    const shape = planWindowShapes[window];
    const current = newestWindowBucket({ shape, nowInMs });
    if (shape.kind === 'calendar-week') return counts.get(current) ?? 0;
    // the buckets listWindowBuckets names, walked without building the list (every request)
    const oldest =
      current - (Math.ceil(shape.lengthInMs / shape.bucketInMs) - 1) * shape.bucketInMs;
    let used = 0;
    for (let bucket = oldest; bucket <= current; bucket += shape.bucketInMs) {
      used += counts.get(bucket) ?? 0;
    }
    return used;
  };

  /*
   * Whether a window stops the account, and how much of it is left: what scheduling asks on every
   * request. A window without a limit that the upstream has not reported spent can do neither, so
   * it is never summed (the common case: OAuth and keys without a tier).
   */
  const checkWindow = (
    entry: AccountWindows,
    window: PlanWindowName,
    nowInMs: number,
  ): { spent: boolean; left: number } => {
    const spentUntil = entry.spentUntilByWindow.get(window);
    if (spentUntil !== undefined && spentUntil > nowInMs) return { spent: true, left: 0 };
    const limit = entry.limits[window];
    if (limit === undefined) return NOT_LIMITED;
    const used = sumWindow(entry, window, nowInMs);
    if (used >= limit) return { spent: true, left: 0 };
    return { spent: false, left: limit > 0 ? Math.max(0, 1 - used / limit) : 1 };
  };

  const stateOf = (
    entry: AccountWindows,
    window: PlanWindowName,
    nowInMs: number,
  ): PlanWindowState => {
    const used = sumWindow(entry, window, nowInMs);
    const limit = entry.limits[window];
    const spentUntil = entry.spentUntilByWindow.get(window);
    const reportedSpent = spentUntil !== undefined && spentUntil > nowInMs;
    const counted = computeWindowResetInMs({
      shape: planWindowShapes[window],
      nowInMs,
      countsByBucket: entry.countsByWindow.get(window) ?? new Map(),
    });
    const state: PlanWindowState = {
      name: window,
      used,
      resetsAtInMs: reportedSpent ? spentUntil : counted,
      spent: reportedSpent || (limit !== undefined && used >= limit),
    };
    if (limit !== undefined) state.limit = limit;
    return state;
  };

  const refresh = async (): Promise<void> => {
    const nowInMs = now();
    const keys: string[] = [];
    const targets: Array<
      | { kind: 'count'; entry: AccountWindows; window: PlanWindowName; bucket: number }
      | { kind: 'spent'; entry: AccountWindows; window: PlanWindowName }
    > = [];
    for (const [accountId, entry] of accounts) {
      for (const window of planWindowNames) {
        for (const bucket of listWindowBuckets({ shape: planWindowShapes[window], nowInMs })) {
          keys.push(counterKey(accountId, window, bucket));
          targets.push({ kind: 'count', entry, window, bucket });
        }
        keys.push(spentKey(accountId, window));
        targets.push({ kind: 'spent', entry, window });
      }
    }
    if (keys.length === 0) return;
    let values: Array<string | undefined>;
    try {
      values = await store.getMany(keys);
    } catch (error) {
      onStoreError?.(error);
      return;
    }
    const fresh = new Map<AccountWindows, Map<PlanWindowName, Map<number, number>>>();
    targets.forEach((target, index) => {
      const value = values[index];
      if (target.kind === 'spent') {
        if (value === undefined) target.entry.spentUntilByWindow.delete(target.window);
        else target.entry.spentUntilByWindow.set(target.window, Number(value));
        return;
      }
      let byWindow = fresh.get(target.entry);
      if (byWindow === undefined) {
        byWindow = new Map();
        fresh.set(target.entry, byWindow);
      }
      let counts = byWindow.get(target.window);
      if (counts === undefined) {
        counts = new Map();
        byWindow.set(target.window, counts);
      }
      // a bucket only grows: keep what this process counted while the store was unreachable
      const local = target.entry.countsByWindow.get(target.window)?.get(target.bucket) ?? 0;
      const stored = value === undefined ? 0 : Number(value);
      if (Math.max(local, stored) > 0) counts.set(target.bucket, Math.max(local, stored));
    });
    for (const [entry, byWindow] of fresh) entry.countsByWindow = byWindow;
  };

  /** a window's local counts per bucket, created empty on first use */
  const countsOf = (entry: AccountWindows, window: PlanWindowName): Map<number, number> => {
    let counts = entry.countsByWindow.get(window);
    if (counts === undefined) {
      counts = new Map();
      entry.countsByWindow.set(window, counts);
    }
    return counts;
  };

  /**
   * A store total for a bucket: it replaces the local count when larger. Within a bucket counts
   * only grow, so the larger of the two is never stale; while the store is down the local count
   * stays. The map is looked up now, not when the request was counted: a refresh may have
   * replaced it since.
   */
  const settleBucket = (
    entry: AccountWindows,
    window: PlanWindowName,
    bucket: number,
    total: number,
  ) => {
    const counts = countsOf(entry, window);
    counts.set(bucket, Math.max(total, counts.get(bucket) ?? 0));
  };

  const timer = setInterval(() => void refresh(), refreshIntervalInMs);
  timer.unref();

  const tracker: PlanWindowTracker = {
    configure(list) {
      const ids = new Set(list.map(({ accountId }) => accountId));
      for (const accountId of accounts.keys()) if (!ids.has(accountId)) accounts.delete(accountId);
      for (const { accountId, limits } of list) windowsOf(accountId).limits = { ...limits };
    },
    async record(accountId) {
      const { increments, settle } = tracker.countServed(accountId);
      try {
        settle(await store.incrementMany(increments));
      } catch (error) {
        onStoreError?.(error);
      }
    },
    countServed(accountId) {
      // a copy: the tracker replaces a counter in its own list when the bucket changes
      const counters = [...tracker.countServedLocally(accountId)];
      return {
        increments: counters.map(({ key, ttlInMs }) => ({ key, ttlInMs })),
        settle(totals) {
          counters.forEach((counter, index) => {
            const total = totals[index];
            if (total !== undefined) counter.settle(total);
          });
        },
      };
    },
    countServedLocally(accountId) {
      const entry = windowsOf(accountId);
      const nowInMs = now();
      const counters = entry.newestCounters;
      for (let index = 0; index < planWindowNames.length; index++) {
        const window = planWindowNames[index]!;
        const shape = planWindowShapes[window];
        const bucket = newestWindowBucket({ shape, nowInMs });
        // counted here at once, so the next choice already sees it
        const counts = countsOf(entry, window);
        counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
        if (counters[index]?.bucket !== bucket) {
          counters[index] = {
            bucket,
            key: counterKey(accountId, window, bucket),
            ttlInMs: bucketTtlInMs(shape),
            settle: (total) => settleBucket(entry, window, bucket, total),
          };
        }
      }
      return counters;
    },
    markSpent({ accountId, window, untilInMs }) {
      const entry = windowsOf(accountId);
      const nowInMs = now();
      const resetsAtInMs =
        untilInMs ??
        computeWindowResetInMs({
          shape: planWindowShapes[window],
          nowInMs,
          countsByBucket: entry.countsByWindow.get(window) ?? new Map(),
        });
      entry.spentUntilByWindow.set(window, resetsAtInMs);
      void store
        .set({
          key: spentKey(accountId, window),
          value: String(resetsAtInMs),
          ttlInMs: Math.max(1, resetsAtInMs - nowInMs),
        })
        .catch((error: unknown) => onStoreError?.(error));
      return resetsAtInMs;
    },
    getWindows(accountId) {
      const entry = accounts.get(accountId);
      if (entry === undefined) return [];
      const nowInMs = now();
      return (
        planWindowNames
          // a window is shown when it has a limit, or when the upstream reported it spent
          .filter(
            (window) =>
              entry.limits[window] !== undefined ||
              (entry.spentUntilByWindow.get(window) ?? 0) > nowInMs,
          )
          .map((window) => stateOf(entry, window, nowInMs))
      );
    },
    getHeadroom(accountId) {
      const entry = accounts.get(accountId);
      if (entry === undefined) return 1;
      const nowInMs = now();
      let headroom = 1;
      for (const window of planWindowNames) {
        const { spent, left } = checkWindow(entry, window, nowInMs);
        if (spent) return 0;
        headroom = Math.min(headroom, left);
      }
      return headroom;
    },
    getExhaustion(accountId) {
      const entry = accounts.get(accountId);
      if (entry === undefined) return undefined;
      const nowInMs = now();
      const spentWindows = planWindowNames.filter(
        (window) => checkWindow(entry, window, nowInMs).spent,
      );
      if (spentWindows.length === 0) return undefined;
      const spent = spentWindows.map((window) => stateOf(entry, window, nowInMs));
      return {
        windows: spent.map((state) => state.name),
        // the account is usable again only when every spent window has reset
        resetsAtInMs: Math.max(...spent.map((state) => state.resetsAtInMs)),
      };
    },
    refresh,
    close() {
      clearInterval(timer);
    },
  };
  return tracker;
}
