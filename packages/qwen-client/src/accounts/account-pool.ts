import type { CooldownReason, QwenClientEvent } from '../events';
import type { TokenSource } from '../token-source';

/** One account's scheduling state, as reported by `getAccountStates()`. */
export interface AccountState {
  accountId: string;
  coolingDownUntilInMs?: number;
  reason?: CooldownReason;
}

/** Round-robin account selection with self-healing cooldowns. */
export interface AccountPool {
  /** the next healthy account not in `exclude`, or undefined */
  select(options?: { exclude?: ReadonlySet<string> }): TokenSource | undefined;
  /** whether `select` would find an account (does not move the round-robin cursor) */
  hasAvailable(options?: { exclude?: ReadonlySet<string> }): boolean;
  coolDown(options: { accountId: string; durationInMs: number; reason: CooldownReason }): void;
  /** a 2xx from this account: clears its cooldown, if any */
  markSuccess(accountId: string): void;
  getStates(): AccountState[];
  /** epoch ms when the first cooling account becomes usable again (undefined if none cools) */
  getEarliestRecoveryInMs(): number | undefined;
}

interface Cooldown {
  untilInMs: number;
  reason: CooldownReason;
}

/**
 * Creates the pool. Cooldowns are compared with `now()` at every look-up, never cleared by a
 * timer, so a cooldown cannot outlive its time and nothing needs a restart to heal.
 */
export function createAccountPool({
  accounts,
  preferredAccountId,
  now = Date.now,
  onEvent,
}: {
  accounts: readonly TokenSource[];
  preferredAccountId?: string;
  now?: () => number;
  onEvent?: (event: QwenClientEvent) => void;
}): AccountPool {
  if (accounts.length === 0) throw new TypeError('createQwenClient needs at least one account');
  const ids = new Set(accounts.map((account) => account.accountId));
  if (ids.size !== accounts.length) throw new TypeError('account ids must be unique');
  const cooldowns = new Map<string, Cooldown>();
  let cursor = 0;

  const isHealthy = (accountId: string): boolean => {
    const cooldown = cooldowns.get(accountId);
    if (!cooldown) return true;
    if (cooldown.untilInMs > now()) return false;
    cooldowns.delete(accountId);
    onEvent?.({ type: 'account-recovered', accountId, after: 'expired' });
    return true;
  };

  return {
    select({ exclude } = {}) {
      const usable = (account: TokenSource) =>
        !exclude?.has(account.accountId) && isHealthy(account.accountId);
      const preferred = accounts.find((account) => account.accountId === preferredAccountId);
      if (preferred && usable(preferred)) return preferred;
      for (let offset = 0; offset < accounts.length; offset++) {
        const index = (cursor + offset) % accounts.length;
        const candidate = accounts[index];
        if (candidate && candidate !== preferred && usable(candidate)) {
          cursor = index + 1;
          return candidate;
        }
      }
      return undefined;
    },
    hasAvailable({ exclude } = {}) {
      return accounts.some(
        (account) => !exclude?.has(account.accountId) && isHealthy(account.accountId),
      );
    },
    coolDown({ accountId, durationInMs, reason }) {
      const untilInMs = now() + Math.max(0, durationInMs);
      const existing = cooldowns.get(accountId);
      // a concurrent shorter cooldown must not cut a longer one (quota beats rate limit)
      if (existing && existing.untilInMs >= untilInMs) return;
      cooldowns.set(accountId, { untilInMs, reason });
      onEvent?.({ type: 'account-cooldown', accountId, untilInMs, reason });
    },
    markSuccess(accountId) {
      if (!cooldowns.delete(accountId)) return;
      onEvent?.({ type: 'account-recovered', accountId, after: 'success' });
    },
    getStates() {
      return accounts.map(({ accountId }) => {
        const cooldown = isHealthy(accountId) ? undefined : cooldowns.get(accountId);
        return cooldown
          ? { accountId, coolingDownUntilInMs: cooldown.untilInMs, reason: cooldown.reason }
          : { accountId };
      });
    },
    getEarliestRecoveryInMs() {
      let earliest: number | undefined;
      for (const { accountId } of accounts) {
        const cooldown = isHealthy(accountId) ? undefined : cooldowns.get(accountId);
        if (cooldown && (earliest === undefined || cooldown.untilInMs < earliest)) {
          earliest = cooldown.untilInMs;
        }
      }
      return earliest;
    },
  };
}
