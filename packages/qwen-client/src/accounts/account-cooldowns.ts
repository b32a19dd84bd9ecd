import type { CooldownReason } from '@qwen-relay/contracts';

/** Cooldown lengths used when upstream gives no Retry-After. */
export interface QwenClientCooldowns {
  /**
   * first quota cooldown (`insufficient_quota`, "Free allocated quota exceeded"), default
   * 60_000; doubles on each consecutive quota failure of the account, up to `quotaMaxInMs`
   */
  quotaInMs?: number;
  /** longest quota cooldown, default 3_600_000 */
  quotaMaxInMs?: number;
  /** per-minute request throttling, default 60_000 */
  rateLimitInMs?: number;
  /** burst protection (`Request rate increased too quickly`): a short pause, default 5_000 */
  burstInMs?: number;
  /** a plan window reported spent without a known reset, default 5 h (the shortest window) */
  planWindowInMs?: number;
  /** repeated auth failure after a refresh, default 60_000 */
  authInMs?: number;
}

/** {@link QwenClientCooldowns} with every default applied. */
export type ResolvedCooldowns = Required<QwenClientCooldowns>;

/** Applies the defaults; a base above the cap is lowered to the cap. */
export function resolveCooldowns(cooldowns: QwenClientCooldowns = {}): ResolvedCooldowns {
  const quotaMaxInMs = cooldowns.quotaMaxInMs ?? 3_600_000;
  return {
    quotaInMs: Math.min(cooldowns.quotaInMs ?? 60_000, quotaMaxInMs),
    quotaMaxInMs,
    rateLimitInMs: cooldowns.rateLimitInMs ?? 60_000,
    burstInMs: cooldowns.burstInMs ?? 5_000,
    planWindowInMs: cooldowns.planWindowInMs ?? 5 * 3_600_000,
    authInMs: cooldowns.authInMs ?? 60_000,
  };
}

/** Limits whose cooldown doubles on each consecutive failure (they outlast a minute). */
export function isEscalatingCooldown(reason: CooldownReason): boolean {
  return reason === 'tokens-per-minute' || reason === 'free-quota-exhausted';
}

/** The fixed default of a non-escalating reason (see `computeQuotaCooldownInMs` for the others). */
export function readFixedCooldownInMs({
  cooldowns,
  reason,
}: {
  cooldowns: ResolvedCooldowns;
  reason: CooldownReason;
}): number {
  switch (reason) {
    case 'auth':
      return cooldowns.authInMs;
    case 'burst':
      return cooldowns.burstInMs;
    case 'plan-window':
      return cooldowns.planWindowInMs;
    default:
      return cooldowns.rateLimitInMs;
  }
}
