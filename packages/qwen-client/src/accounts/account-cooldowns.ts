import type { CooldownReason } from '../events';

/** Cooldown lengths used when upstream gives no Retry-After. */
export interface QwenClientCooldowns {
  /**
   * first quota cooldown (`insufficient_quota`, "Free allocated quota exceeded"), default
   * 60_000; doubles on each consecutive quota failure of the account, up to `quotaMaxInMs`
   */
  quotaInMs?: number;
  /** longest quota cooldown, default 3_600_000 */
  quotaMaxInMs?: number;
  /** per-minute throttling, default 60_000 */
  rateLimitInMs?: number;
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
    authInMs: cooldowns.authInMs ?? 60_000,
  };
}

/** The fixed default of a non-quota reason (quota escalates: see `computeQuotaCooldownInMs`). */
export function readFixedCooldownInMs({
  cooldowns,
  reason,
}: {
  cooldowns: ResolvedCooldowns;
  reason: Exclude<CooldownReason, 'quota'>;
}): number {
  return reason === 'auth' ? cooldowns.authInMs : cooldowns.rateLimitInMs;
}
