import type { StateStore } from '../state-store';

/** A lease held by {@link holdLease}: renewed in the background until released or lost. */
export interface HeldLease {
  readonly key: string;
  readonly ownerId: string;
  /** true once a renewal found the lease gone or taken (the holder must stop its work) */
  readonly lost: boolean;
  /** gives the lease back, only if still ours (compare-and-delete) */
  release(): Promise<void>;
}

/** Takes a lease if nobody holds it: SET NX PX semantics through compare-and-set. */
export function acquireLease({
  store,
  key,
  ownerId,
  ttlInMs,
}: {
  store: StateStore;
  key: string;
  ownerId: string;
  ttlInMs: number;
}): Promise<boolean> {
  return store.compareAndSet({ key, expected: undefined, value: ownerId, ttlInMs });
}

/** Extends a lease only while `ownerId` still holds it. */
export function renewLease({
  store,
  key,
  ownerId,
  ttlInMs,
}: {
  store: StateStore;
  key: string;
  ownerId: string;
  ttlInMs: number;
}): Promise<boolean> {
  return store.compareAndSet({ key, expected: ownerId, value: ownerId, ttlInMs });
}

/** Deletes a lease only while `ownerId` still holds it (never someone else's). */
export function releaseLease({
  store,
  key,
  ownerId,
}: {
  store: StateStore;
  key: string;
  ownerId: string;
}): Promise<boolean> {
  return store.compareAndSet({ key, expected: ownerId, value: undefined });
}

/**
 * Takes the lease `key` for `ownerId` and keeps it alive (renewed every third of its TTL)
 * until released. Invariant: only the owner renews or releases; a renewal that finds the
 * lease gone or taken marks it lost and stops, so two holders never both believe they hold
 * it for longer than one renewal interval. Returns undefined when someone else holds it.
 */
export async function holdLease({
  store,
  key,
  ownerId,
  ttlInMs,
  onLost,
}: {
  store: StateStore;
  key: string;
  ownerId: string;
  ttlInMs: number;
  onLost?: () => void;
}): Promise<HeldLease | undefined> {
  if (!(await acquireLease({ store, key, ownerId, ttlInMs }))) return undefined;
  let lost = false;
  let released = false;
  const markLost = (): void => {
    if (lost || released) return;
    lost = true;
    clearInterval(timer);
    onLost?.();
  };
  const timer = setInterval(
    () => {
      renewLease({ store, key, ownerId, ttlInMs }).then(
        (renewed) => {
          if (!renewed) markLost();
        },
        // unreachable store: the TTL may run out; keep trying until it does
        () => undefined,
      );
    },
    Math.max(10, Math.floor(ttlInMs / 3)),
  );
  timer.unref();
  return {
    key,
    ownerId,
    get lost() {
      return lost;
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      if (!lost) await releaseLease({ store, key, ownerId }).catch(() => undefined);
    },
  };
}
