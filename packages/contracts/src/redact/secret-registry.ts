/** Shortest value the registry accepts: shorter ones would shred ordinary words. */
export const MIN_SECRET_LENGTH_IN_CHARS = 6;

/** Every secret value the process holds, with how many holders registered it. */
interface SecretRegistryState {
  readonly counts: Map<string, number>;
  /** bumped on every change; the redactor rebuilds its pattern when it moved */
  version: number;
}

// one registry per thread, shared by every copy of this package loaded in it
const REGISTRY_KEY = Symbol.for('qwen-relay.secret-registry');

/** The thread's registry (created on first use). */
export function getSecretRegistryState(): SecretRegistryState {
  const holder = globalThis as unknown as Record<symbol, SecretRegistryState | undefined>;
  let state = holder[REGISTRY_KEY];
  if (state === undefined) {
    state = { counts: new Map(), version: 0 };
    holder[REGISTRY_KEY] = state;
  }
  return state;
}

/**
 * Registers a secret the process holds (access or refresh token, API key, proxy key), so
 * `redactSecrets` removes it by value from every text it sees. Registrations are counted: a
 * value stays registered until every holder unregistered it. Empty, missing and values shorter
 * than {@link MIN_SECRET_LENGTH_IN_CHARS} are ignored.
 */
export function registerSecret(value: string | undefined): void {
  if (value === undefined || value.length < MIN_SECRET_LENGTH_IN_CHARS) return;
  const state = getSecretRegistryState();
  const count = state.counts.get(value) ?? 0;
  state.counts.set(value, count + 1);
  if (count === 0) state.version += 1;
}

/** Drops one registration of `value` (a replaced token, a removed account). */
export function unregisterSecret(value: string | undefined): void {
  if (value === undefined) return;
  const state = getSecretRegistryState();
  const count = state.counts.get(value);
  if (count === undefined) return;
  if (count > 1) {
    state.counts.set(value, count - 1);
    return;
  }
  state.counts.delete(value);
  state.version += 1;
}

/** Replaces the registration of `previous` by `next` (a refreshed token); either may be absent. */
export function replaceSecret({
  previous,
  next,
}: {
  previous: string | undefined;
  next: string | undefined;
}): void {
  if (previous === next) return;
  registerSecret(next);
  unregisterSecret(previous);
}
