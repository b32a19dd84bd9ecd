import { raceWithSignal } from '@qwen-relay/contracts';
import { convertAbortReason } from './convert-abort-reason';
import type { RetryDecision, RetryPolicy } from './retry-policy';

/** Options of {@link runWithRetry}. */
export interface RunWithRetryOptions<T> {
  policy: RetryPolicy;
  /** aborts the call, backoff sleeps included; its `reason` is what gets thrown */
  signal?: AbortSignal;
  now?: () => number;
  /** one attempt; throws to fail it */
  run: (context: { attempt: number }) => Promise<T>;
  /** classifies a failure (usually delegates to `policy.shouldRetry` with the call's context) */
  decide: (context: { error: unknown; attempt: number }) => RetryDecision;
  /** sees every settled attempt, after limits were applied to the decision */
  onSettled?: (context: {
    attempt: number;
    error?: unknown;
    decision?: RetryDecision;
    delayInMs?: number;
  }) => void;
  /** side effects before the next attempt (e.g. switch account); runs before the sleep */
  prepareRetry?: (context: {
    error: unknown;
    attempt: number;
    decision: Extract<RetryDecision, { retry: true }>;
  }) => void;
}

/**
 * Retry as a wrapper: runs `run` until it succeeds, the policy says stop, `maxAttempts` is
 * reached, the next start would pass `totalDeadlineInMs`, or `signal` aborts.
 *
 * Invariant: an aborted call is never retried. The abort check happens before every attempt and
 * the backoff sleep rejects on abort, so a caller that goes away during a long Retry-After wait
 * is released at once and no further request leaves.
 */
export async function runWithRetry<T>(options: RunWithRetryOptions<T>): Promise<T> {
  return runWithRetrySteps({
    policy: options.policy,
    signal: options.signal,
    now: options.now ?? Date.now,
    steps: options,
  });
}

/** The callbacks of {@link runWithRetry}, called as methods of one object. */
export type RetrySteps<T> = Pick<
  RunWithRetryOptions<T>,
  'run' | 'decide' | 'onSettled' | 'prepareRetry'
>;

/**
 * {@link runWithRetry} with its callbacks as methods of `steps` (a call object passes itself,
 * instead of four closures over its state).
 */
export async function runWithRetrySteps<T>({
  policy,
  signal,
  now,
  steps,
}: {
  policy: RetryPolicy;
  signal: AbortSignal | undefined;
  now: () => number;
  steps: RetrySteps<T>;
}): Promise<T> {
  const startedAtInMs = now();
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(signal);
    let result: T;
    try {
      result = await steps.run({ attempt });
    } catch (error) {
      if (signal?.aborted) throw convertAbortReason(signal);
      let decision = steps.decide({ error, attempt });
      if (decision.retry) {
        const startsAtInMs = now() - startedAtInMs + decision.delayInMs;
        if (attempt >= policy.maxAttempts || startsAtInMs > policy.totalDeadlineInMs) {
          decision = withoutRetry(decision);
        }
      }
      steps.onSettled?.({
        attempt,
        error,
        decision,
        ...(decision.retry ? { delayInMs: decision.delayInMs } : {}),
      });
      if (!decision.retry) throw error;
      steps.prepareRetry?.({ error, attempt, decision });
      if (decision.delayInMs > 0) {
        try {
          await raceWithSignal({
            promise: policy.sleep({ delayInMs: decision.delayInMs, ...signalOption(signal) }),
            signal,
            convertReason: convertAbortReason,
          });
        } catch (sleepError) {
          if (signal?.aborted) throw convertAbortReason(signal);
          throw sleepError;
        }
      }
      continue;
    }
    steps.onSettled?.({ attempt });
    return result;
  }
}

function withoutRetry(decision: RetryDecision): RetryDecision {
  return decision.cooldownReason === undefined
    ? { retry: false }
    : { retry: false, cooldownReason: decision.cooldownReason };
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw convertAbortReason(signal);
}
