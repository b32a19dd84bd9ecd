import type { CooldownReason, QwenClientEvent } from '@qwen-relay/contracts';
import type { UpstreamAccount } from '../plans/account-profile';
import {
  isEscalatingCooldown,
  type QwenClientCooldowns,
  readFixedCooldownInMs,
  resolveCooldowns,
} from './account-cooldowns';
import { computeQuotaCooldownInMs } from './compute-quota-cooldown';

/** One account's scheduling state, as reported by `getAccountStates()`. */
export interface AccountCooldownState {
  accountId: string;
  /** only while the cooldown lasts: an expired one is never reported */
  coolingDownUntilInMs?: number;
  reason?: CooldownReason;
}

/** Round-robin account selection with self-healing cooldowns. */
export interface AccountPool {
  /**
   * the next healthy account not in `exclude` that `accept` takes (e.g. serves the model), or
   * undefined; with `rank`, the first account of its ranking
   */
  select(options?: AccountSelection): UpstreamAccount | undefined;
  /** every usable account once, in rotation order from the cursor (does not move it) */
  listUsable(options?: AccountFilter): UpstreamAccount[];
  /** whether `select` would find an account (does not move the round-robin cursor) */
  hasAvailable(options?: AccountFilter): boolean;
  /**
   * Cools an account down for `durationInMs` (upstream's Retry-After) or, when omitted, the
   * default of `reason` (escalating for quota). Returns the epoch ms it now cools until
   * (a longer running cooldown is kept), or undefined for an account no longer in the pool.
   */
  coolDown(options: {
    accountId: string;
    durationInMs?: number;
    reason: CooldownReason;
  }): number | undefined;
  /** a 2xx from this account: clears its cooldown, if any, and its quota escalation */
  markSuccess(accountId: string): void;
  /** replaces the accounts; kept ids keep their state, removed ones are forgotten, an empty list is allowed */
  setAccounts(accounts: readonly UpstreamAccount[]): void;
  getStates(): AccountCooldownState[];
  /** epoch ms when the first cooling account `accept` takes becomes usable again (undefined if none cools) */
  getEarliestRecoveryInMs(options?: Pick<AccountFilter, 'accept'>): number | undefined;
  /** the accounts, in rotation order */
  list(): readonly UpstreamAccount[];
}

/** Which accounts a selection may return. */
export interface AccountFilter {
  exclude?: ReadonlySet<string>;
  accept?: ((account: UpstreamAccount) => boolean) | undefined;
}

/** How a selection orders the usable accounts (quota-aware scheduling); see `select`. */
export interface AccountSelection extends AccountFilter {
  /**
   * receives every usable account (healthy, accepted, not excluded) once, in rotation order
   * from the cursor, and returns them in order of preference; an account left out is not
   * chosen (predicted spent); an empty answer selects nothing
   */
  rank?: ((candidates: readonly UpstreamAccount[]) => readonly UpstreamAccount[]) | undefined;
}

// a larger weight would only make the rotation table longer, not fairer
const MAX_WEIGHT = 100;

/**
 * The rotation table: each account appears `weight` times, interleaved by smooth weighted
 * round-robin (nginx), so weight 2 next to weight 1 gives A B A, not A A B. All weights 1 give
 * the accounts in order.
 */
function createRotation(accounts: readonly UpstreamAccount[]): UpstreamAccount[] {
  const weights = accounts.map((account) =>
    Math.min(MAX_WEIGHT, Math.max(1, Math.floor(account.profile?.weight ?? 1))),
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const current = weights.map(() => 0);
  const rotation: UpstreamAccount[] = [];
  for (let step = 0; step < total; step++) {
    let best = 0;
    for (let index = 0; index < accounts.length; index++) {
      current[index] = (current[index] ?? 0) + (weights[index] ?? 1);
      if ((current[index] ?? 0) > (current[best] ?? 0)) best = index;
    }
    current[best] = (current[best] ?? 0) - total;
    const chosen = accounts[best];
    if (chosen) rotation.push(chosen);
  }
  return rotation;
}

interface AccountHealth {
  cooldown?: { untilInMs: number; reason: CooldownReason };
  /** quota failures since this account's last success; drives the escalation */
  consecutiveQuotaFailures: number;
}

/**
 * Creates the pool. Cooldowns are compared with `now()` at every look-up, never cleared by a
 * timer, so a cooldown cannot outlive its time and nothing needs a restart to heal.
 */
export function createAccountPool({
  accounts: initialAccounts,
  preferredAccountId,
  cooldowns: cooldownOptions,
  now = Date.now,
  onEvent,
}: {
  accounts: readonly UpstreamAccount[];
  preferredAccountId?: string;
  cooldowns?: QwenClientCooldowns;
  now?: () => number;
  onEvent?: (event: QwenClientEvent) => void;
}): AccountPool {
  const cooldowns = resolveCooldowns(cooldownOptions);
  let accounts: readonly UpstreamAccount[] = [];
  let rotation: readonly UpstreamAccount[] = [];
  const health = new Map<string, AccountHealth>();
  let cursor = 0;

  const isHealthy = (accountId: string): boolean => {
    const entry = health.get(accountId);
    if (!entry?.cooldown) return true;
    if (entry.cooldown.untilInMs > now()) return false;
    // the escalation count survives the expiry: only a success proves the quota is back
    delete entry.cooldown;
    onEvent?.({ type: 'account-recovered', accountId, after: 'expired' });
    return true;
  };
  const liveCooldown = (accountId: string) =>
    isHealthy(accountId) ? undefined : health.get(accountId)?.cooldown;

  function setAccounts(next: readonly UpstreamAccount[]): void {
    const ids = new Set(next.map((account) => account.accountId));
    if (ids.size !== next.length) throw new TypeError('account ids must be unique');
    // round-robin continues with the same account when it is still there
    const upcomingId = rotation[cursor % Math.max(1, rotation.length)]?.accountId;
    for (const accountId of health.keys()) if (!ids.has(accountId)) health.delete(accountId);
    for (const accountId of ids) {
      if (!health.has(accountId)) health.set(accountId, { consecutiveQuotaFailures: 0 });
    }
    accounts = [...next];
    rotation = createRotation(accounts);
    const upcomingIndex = rotation.findIndex((account) => account.accountId === upcomingId);
    cursor = upcomingIndex >= 0 ? upcomingIndex : cursor % Math.max(1, rotation.length);
  }
  setAccounts(initialAccounts);

  /** each usable account once, in rotation order starting at the cursor */
  function listUsableFromCursor(usable: (account: UpstreamAccount) => boolean): UpstreamAccount[] {
    // an account can appear more than once in the rotation (weights); one entry cannot repeat
    const seen = rotation.length > 1 ? new Set<string>() : undefined;
    const list: UpstreamAccount[] = [];
    for (let offset = 0; offset < rotation.length; offset++) {
      const candidate = rotation[(cursor + offset) % rotation.length];
      if (candidate === undefined || seen?.has(candidate.accountId)) continue;
      seen?.add(candidate.accountId);
      if (usable(candidate)) list.push(candidate);
    }
    return list;
  }

  return {
    select({ exclude, accept, rank } = {}) {
      const usable = (account: UpstreamAccount) =>
        !exclude?.has(account.accountId) &&
        (accept === undefined || accept(account)) &&
        isHealthy(account.accountId);
      if (rank !== undefined) {
        const chosen = rank(listUsableFromCursor(usable))[0];
        if (chosen === undefined) return undefined;
        // the rotation continues after the chosen account, as if round robin had picked it
        const index = rotation.indexOf(chosen, cursor % Math.max(1, rotation.length));
        const at = index >= 0 ? index : rotation.indexOf(chosen);
        if (at >= 0) cursor = at + 1;
        return chosen;
      }
      const preferred = accounts.find((account) => account.accountId === preferredAccountId);
      if (preferred && usable(preferred)) return preferred;
      for (let offset = 0; offset < rotation.length; offset++) {
        const index = (cursor + offset) % rotation.length;
        const candidate = rotation[index];
        if (candidate && candidate !== preferred && usable(candidate)) {
          cursor = index + 1;
          return candidate;
        }
      }
      return undefined;
    },
    listUsable({ exclude, accept } = {}) {
      return listUsableFromCursor(
        (account) =>
          !exclude?.has(account.accountId) &&
          (accept === undefined || accept(account)) &&
          isHealthy(account.accountId),
      );
    },
    hasAvailable({ exclude, accept } = {}) {
      return accounts.some(
        (account) =>
          !exclude?.has(account.accountId) &&
          (accept === undefined || accept(account)) &&
          isHealthy(account.accountId),
      );
    },
    coolDown({ accountId, durationInMs, reason }) {
      const entry = health.get(accountId);
      // a call still in flight on an account that was removed meanwhile: nothing to track
      if (!entry) return undefined;
      const running = liveCooldown(accountId);
      if (
        isEscalatingCooldown(reason) &&
        (running === undefined || !isEscalatingCooldown(running.reason))
      ) {
        /*
         * Invariant: concurrent calls that hit the same spent quota count as ONE failure. Every
         * call in flight when the quota ran out reports it, within moments of each other; only
         * the first one (no quota cooldown running yet) escalates. A failure after the cooldown
         * expired is a real repeat and doubles the next cooldown.
         */
        entry.consecutiveQuotaFailures++;
      }
      const effectiveInMs =
        durationInMs ??
        (isEscalatingCooldown(reason)
          ? computeQuotaCooldownInMs({
              consecutiveFailures: Math.max(1, entry.consecutiveQuotaFailures),
              baseInMs: cooldowns.quotaInMs,
              maxInMs: cooldowns.quotaMaxInMs,
            })
          : readFixedCooldownInMs({ cooldowns, reason }));
      const untilInMs = now() + Math.max(0, effectiveInMs);
      // a concurrent shorter cooldown must not cut a longer one (quota beats rate limit)
      if (running && running.untilInMs >= untilInMs) return running.untilInMs;
      entry.cooldown = { untilInMs, reason };
      onEvent?.({ type: 'account-cooldown', accountId, untilInMs, reason });
      return untilInMs;
    },
    markSuccess(accountId) {
      const entry = health.get(accountId);
      if (!entry) return;
      entry.consecutiveQuotaFailures = 0;
      if (!entry.cooldown) return;
      delete entry.cooldown;
      onEvent?.({ type: 'account-recovered', accountId, after: 'success' });
    },
    setAccounts,
    getStates() {
      return accounts.map(({ accountId }) => {
        const cooldown = liveCooldown(accountId);
        return cooldown
          ? { accountId, coolingDownUntilInMs: cooldown.untilInMs, reason: cooldown.reason }
          : { accountId };
      });
    },
    getEarliestRecoveryInMs({ accept } = {}) {
      let earliest: number | undefined;
      for (const account of accounts) {
        if (accept !== undefined && !accept(account)) continue;
        const { accountId } = account;
        const cooldown = liveCooldown(accountId);
        if (cooldown && (earliest === undefined || cooldown.untilInMs < earliest)) {
          earliest = cooldown.untilInMs;
        }
      }
      return earliest;
    },
    list: () => accounts,
  };
}
