import { sleepWithSignal } from '@qwen-relay/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortedError, UpstreamServerError, UpstreamTimeoutError } from '../errors/upstream-errors';
import { createRetryPolicy } from './retry-policy';
import { runWithRetry } from './run-with-retry';

const transient = () =>
  new UpstreamServerError({ message: 'boom', upstreamStatus: 503, retryable: true });

describe('runWithRetry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries until success, sleeping the decided delays (fake timers)', async () => {
    vi.useFakeTimers();
    const policy = createRetryPolicy({ jitter: 0, baseDelayInMs: 1000 });
    let calls = 0;
    const settled: unknown[] = [];
    const promise = runWithRetry({
      policy,
      run: async () => {
        calls++;
        if (calls < 3) throw transient();
        return 'ok';
      },
      decide: ({ error, attempt }) =>
        policy.shouldRetry({
          error,
          attempt,
          history: [],
          accountId: 'a',
          failedIn: 'upstream',
          canRotate: false,
          streamFallbackAvailable: false,
        }),
      onSettled: ({ attempt, delayInMs }) => settled.push([attempt, delayInMs]),
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(promise).resolves.toBe('ok');
    expect(settled).toEqual([
      [1, 1000],
      [2, 1000],
      [3, undefined],
    ]);
  });

  it('stops at maxAttempts with the last error', async () => {
    const policy = createRetryPolicy({ maxAttempts: 3, sleep: async () => {} });
    let calls = 0;
    const error = transient();
    await expect(
      runWithRetry({
        policy,
        run: async () => {
          calls++;
          throw error;
        },
        decide: () => ({ retry: true, reason: 'server-error', delayInMs: 5 }),
      }),
    ).rejects.toBe(error);
    expect(calls).toBe(3);
  });

  it('does not start a retry past the total deadline', async () => {
    let clock = 0;
    const policy = createRetryPolicy({
      totalDeadlineInMs: 10_000,
      sleep: async ({ delayInMs }) => {
        clock += delayInMs;
      },
    });
    let calls = 0;
    await expect(
      runWithRetry({
        policy,
        now: () => clock,
        run: async () => {
          calls++;
          throw transient();
        },
        decide: () => ({ retry: true, reason: 'server-error', delayInMs: 4000 }),
      }),
    ).rejects.toBeInstanceOf(UpstreamServerError);
    expect(calls).toBe(3);
  });

  it('aborts during a backoff sleep at once, with the signal reason, and never retries', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const policy = createRetryPolicy();
    let calls = 0;
    const promise = runWithRetry({
      policy,
      signal: controller.signal,
      run: async () => {
        calls++;
        throw transient();
      },
      decide: () => ({ retry: true, reason: 'server-error', delayInMs: 60_000 }),
    });
    const outcome = expect(promise).rejects.toBeInstanceOf(AbortedError);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new AbortedError());
    await outcome;
    expect(calls).toBe(1);
  });

  it('is not held by an injected sleep that ignores the signal', async () => {
    const controller = new AbortController();
    const policy = createRetryPolicy({ sleep: () => new Promise(() => {}) });
    const promise = runWithRetry({
      policy,
      signal: controller.signal,
      run: async () => {
        throw transient();
      },
      decide: () => ({ retry: true, reason: 'server-error', delayInMs: 1 }),
    });
    setImmediate(() =>
      controller.abort(new UpstreamTimeoutError({ message: 't', phase: 'total' })),
    );
    await expect(promise).rejects.toMatchObject({ phase: 'total' });
  });
});

describe('sleepWithSignal', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits the full delay under fake timers', async () => {
    vi.useFakeTimers();
    let done = false;
    const sleeping = sleepWithSignal({ delayInMs: 2000 }).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(1999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });
});
