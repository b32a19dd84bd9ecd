import { type FakeQwen, faults } from '@qwen-relay/fake-qwen';
import { describe, expect, it } from 'vitest';
import { AllAccountsCoolingDownError, QuotaExceededError } from '../src/errors/upstream-errors';
import { createFakeTokenSource } from './helpers/create-fake-token-source';
import { chatPayload, useFakeHarness } from './helpers/setup-fake';

/** Runs one chat call that must fail and returns its error. */
async function expectFailure(promise: Promise<unknown>): Promise<unknown> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome;
}

const quotaWithRetryAfter = (headers: Record<string, string>) => ({
  endpoint: 'chat' as const,
  action: {
    type: 'status' as const,
    status: 429,
    headers,
    body: { error: { code: 'insufficient_quota', message: 'Free allocated quota exceeded.' } },
  },
});

describe('quota cooldown heals itself (loopback against fake-qwen)', () => {
  const harness = useFakeHarness();

  const startSingleAccount = async (quotaMaxInMs?: number) => {
    const fake: FakeQwen = await harness.startFake();
    const clock = { nowInMs: 10_000_000 };
    const client = harness.createClient({
      accounts: [createFakeTokenSource({ fake })],
      now: () => clock.nowInMs,
      ...(quotaMaxInMs === undefined ? {} : { cooldowns: { quotaMaxInMs } }),
    });
    return { fake, clock, client };
  };

  it('first quota failure without Retry-After: 60 s cooldown, honest retryAfterInMs, healed by time', async () => {
    const { fake, clock, client } = await startSingleAccount();
    fake.inject(faults.freeQuotaExceeded());

    const failure = await expectFailure(client.chatCompletion({ payload: chatPayload() }));
    expect(failure).toBeInstanceOf(QuotaExceededError);
    expect(failure).toMatchObject({ status: 429, retryAfterInMs: 60_000 });
    expect(client.getAccountStates()).toEqual([
      {
        accountId: 'default',
        coolingDownUntilInMs: clock.nowInMs + 60_000,
        reason: 'tokens-per-minute',
      },
    ]);

    clock.nowInMs += 15_000;
    const cooling = await expectFailure(client.chatCompletion({ payload: chatPayload() }));
    expect(cooling).toBeInstanceOf(AllAccountsCoolingDownError);
    expect(cooling).toMatchObject({ retryAfterInMs: 45_000 });
    expect(fake.counters.chatCalls).toBe(1);

    clock.nowInMs += 45_000;
    expect(client.getAccountStates()).toEqual([{ accountId: 'default' }]);
    await expect(client.chatCompletion({ payload: chatPayload() })).resolves.toMatchObject({
      status: 200,
    });
  });

  it('consecutive quota failures double the cooldown up to quotaMaxInMs; a success resets it', async () => {
    const { fake, clock, client } = await startSingleAccount(200_000);
    const observed: unknown[] = [];
    for (let failureNumber = 1; failureNumber <= 4; failureNumber++) {
      fake.inject(faults.freeQuotaExceeded());
      const failure = await expectFailure(client.chatCompletion({ payload: chatPayload() }));
      const retryAfterInMs = (failure as QuotaExceededError).retryAfterInMs ?? 0;
      observed.push(retryAfterInMs);
      // the cooldown runs out: the state turns healthy, the escalation is remembered
      clock.nowInMs += retryAfterInMs;
      expect(client.getAccountStates()).toEqual([{ accountId: 'default' }]);
    }
    expect(observed).toEqual([60_000, 120_000, 200_000, 200_000]);

    await expect(client.chatCompletion({ payload: chatPayload() })).resolves.toMatchObject({
      status: 200,
    });
    fake.inject(faults.freeQuotaExceeded());
    await expect(client.chatCompletion({ payload: chatPayload() })).rejects.toMatchObject({
      retryAfterInMs: 60_000,
    });
  });

  it('concurrent calls failing on the same spent quota escalate once', async () => {
    const { fake, client } = await startSingleAccount();
    fake.inject({ ...faults.freeQuotaExceeded(), times: 5 });
    const failures = await Promise.all(
      Array.from({ length: 5 }, () =>
        expectFailure(client.chatCompletion({ payload: chatPayload() })),
      ),
    );
    // every call chose the account before the first 429 came back: five upstream failures
    expect(fake.counters.chatCalls).toBe(5);
    const cooldowns = failures.map((failure) => (failure as QuotaExceededError).retryAfterInMs);
    expect(cooldowns).toEqual([60_000, 60_000, 60_000, 60_000, 60_000]);
  });

  it('Retry-After on a quota error wins over the escalation (retry-after and retry-after-ms)', async () => {
    const { fake, clock, client } = await startSingleAccount();
    fake.inject(quotaWithRetryAfter({ 'retry-after': '7200' }));
    await expect(client.chatCompletion({ payload: chatPayload() })).rejects.toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_QUOTA_EXCEEDED',
      retryAfterInMs: 7_200_000,
    });
    expect(client.getAccountStates()[0]?.coolingDownUntilInMs).toBe(clock.nowInMs + 7_200_000);

    clock.nowInMs += 7_200_000;
    fake.inject(quotaWithRetryAfter({ 'retry-after-ms': '1500' }));
    await expect(client.chatCompletion({ payload: chatPayload() })).rejects.toMatchObject({
      retryAfterInMs: 1_500,
    });
  });
});
