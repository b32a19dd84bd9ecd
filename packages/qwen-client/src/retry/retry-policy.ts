import { type CooldownReason, type RetryReason, sleepWithSignal } from '@qwen-relay/contracts';
import type { AttemptRecord } from '../errors/attempt-record';
import { shouldRetryUpstreamFailure } from './should-retry-upstream-failure';

/** What the policy decided about one failed attempt. */
export type RetryDecision =
  | { retry: false; cooldownReason?: CooldownReason }
  | { retry: true; reason: RetryReason; delayInMs: number; cooldownReason?: CooldownReason };

/** Everything the policy may look at to decide. */
export interface RetryContext {
  error: unknown;
  /** attempts made so far in this call (1 after the first failure) */
  attempt: number;
  /** settled attempts before this one */
  history: readonly AttemptRecord[];
  accountId: string;
  /** where the failure happened: asking the token source, or talking to upstream */
  failedIn: 'token-source' | 'upstream';
  /** another healthy account that this call has not tried yet exists */
  canRotate: boolean;
  /** the call is streaming, fallback is enabled and not used yet */
  streamFallbackAvailable: boolean;
}

/** The retry policy object; every field can be overridden through `createQwenClient({ retry })`. */
export interface RetryPolicy {
  /** hard cap on upstream attempts per call, all reasons included (default 6) */
  maxAttempts: number;
  /** first backoff delay (default 1_000) */
  baseDelayInMs: number;
  /** largest backoff delay (default 30_000) */
  maxDelayInMs: number;
  /** 'full' → random in [0, delay]; a number r → delay × (1 ± r) (default 0.3) */
  jitter: 'full' | number;
  /** Retry-After / retry-after-ms are honoured up to this (default 60_000) */
  retryAfterCapInMs: number;
  /** no retry is started once it would begin later than this after the call started (default 120_000) */
  totalDeadlineInMs: number;
  shouldRetry(context: RetryContext): RetryDecision;
  /** backoff before retry number `retry` (1-based), or the capped Retry-After when given */
  delayInMs(context: { retry: number; retryAfterInMs?: number }): number;
  /** waits; must reject when `signal` aborts (tests inject a recorder) */
  sleep(options: { delayInMs: number; signal?: AbortSignal }): Promise<void>;
  random(): number;
}

/** Builds a policy from overrides; the default methods read the final limits of this object. */
export function createRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy: RetryPolicy = {
    maxAttempts: 6,
    baseDelayInMs: 1_000,
    maxDelayInMs: 30_000,
    jitter: 0.3,
    retryAfterCapInMs: 60_000,
    totalDeadlineInMs: 120_000,
    shouldRetry: (context) => shouldRetryUpstreamFailure({ context, policy }),
    delayInMs: ({ retry, retryAfterInMs }) => {
      if (retryAfterInMs !== undefined) return Math.min(retryAfterInMs, policy.retryAfterCapInMs);
      const exponentialInMs = Math.min(
        policy.maxDelayInMs,
        policy.baseDelayInMs * 2 ** Math.max(0, retry - 1),
      );
      const jitteredInMs =
        policy.jitter === 'full'
          ? exponentialInMs * policy.random()
          : exponentialInMs * (1 + (policy.random() * 2 - 1) * policy.jitter);
      return Math.max(0, Math.round(Math.min(jitteredInMs, policy.maxDelayInMs)));
    },
    sleep: sleepWithSignal,
    random: Math.random,
    ...overrides,
  };
  return policy;
}
