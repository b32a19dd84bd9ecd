/** Which implementation backs a {@link StateStore}. */
export type StateStoreKind = 'memory' | 'file' | 'redis';

/** Options of {@link StateStore.set}. */
export interface SetStateOptions {
  key: string;
  value: string;
  /** the entry disappears this long after the write; absent = kept until deleted */
  ttlInMs?: number | undefined;
}

/** Options of {@link StateStore.compareAndSet}. */
export interface CompareAndSetStateOptions {
  key: string;
  /** the value the entry must hold now; `undefined` = the entry must not exist */
  expected: string | undefined;
  /** the value to write; `undefined` deletes the entry */
  value: string | undefined;
  ttlInMs?: number | undefined;
}

/** Options of {@link StateStore.increment}. */
export interface IncrementStateOptions {
  key: string;
  /** a whole number, negative to decrement (default 1) */
  by?: number;
  /**
   * expiry set when the increment creates the counter (or finds it without one); later
   * increments keep the first expiry, so a counter keyed by window start dies with its window
   */
  ttlInMs?: number | undefined;
}

/** Options of {@link StateStore.publish}. */
export interface PublishStateOptions {
  channel: string;
  message: string;
}

/** Options of {@link StateStore.subscribe}. */
export interface SubscribeStateOptions {
  channel: string;
  /** called with each message published on the channel by any process sharing the store */
  listener: (message: string) => void;
}

/** Connection state changes of a store that can lose its backend (Redis). */
export interface StateStoreStatus {
  /** false while the backend cannot be reached; operations then reject with StateStoreUnavailableError */
  available: boolean;
  /** why it is unavailable (no secret: URLs are shown without credentials) */
  reason?: string;
}

/**
 * The small interface behind which qwen-relay keeps cooldowns, quota windows, session
 * affinity, usage counters and (in cluster mode) OAuth credentials. Every operation is atomic
 * with respect to every process sharing the store: two proxies on one file store, or N
 * replicas on one Redis, never lose an increment or both win a compare-and-set.
 * Values are strings; callers serialise their own JSON.
 */
export interface StateStore {
  readonly kind: StateStoreKind;
  /** the current value, or undefined when absent or expired */
  get(key: string): Promise<string | undefined>;
  /** the current values of several keys, in order, in one round trip */
  getMany(keys: readonly string[]): Promise<Array<string | undefined>>;
  set(options: SetStateOptions): Promise<void>;
  /** writes (or deletes) only when the entry holds `expected`; true when it did */
  compareAndSet(options: CompareAndSetStateOptions): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** adds `by` to a counter (absent counts as 0) and returns the new value */
  increment(options: IncrementStateOptions): Promise<number>;
  /**
   * several increments applied together, atomically (one Redis script, one file batch): what
   * a served request counts (usage and plan windows) costs one round trip, not one per counter.
   * Returns the new values in order; an invalid increment rejects the whole call.
   */
  incrementMany(operations: readonly IncrementStateOptions[]): Promise<number[]>;
  /** keys currently present that start with `prefix` (unordered) */
  listKeys(prefix: string): Promise<string[]>;
  /** delivers `message` to every subscriber of `channel`, in this process and others */
  publish(options: PublishStateOptions): Promise<void>;
  /** returns a function that ends the subscription */
  subscribe(options: SubscribeStateOptions): Promise<() => Promise<void>>;
  /** the backend's reachability now */
  status(): StateStoreStatus;
  /** called whenever {@link status} changes; returns a function that removes the listener */
  onStatusChange(listener: (status: StateStoreStatus) => void): () => void;
  /** flushes pending writes and releases timers, files and connections */
  close(): Promise<void>;
}
