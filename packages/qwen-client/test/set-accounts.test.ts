import { isQwenRelayError } from '@qwen-relay/contracts';
import { faults } from '@qwen-relay/fake-qwen';
import { describe, expect, it } from 'vitest';
import { NoAccountsError } from '../src/errors/no-accounts-error';
import { AllAccountsCoolingDownError } from '../src/errors/upstream-errors';
import { createFakeTokenSource } from './helpers/create-fake-token-source';
import { chatPayload, useFakeHarness } from './helpers/setup-fake';

describe('setAccounts at runtime (loopback against fake-qwen)', () => {
  const harness = useFakeHarness();

  it('an account added while running serves at once; a kept one keeps its cooldown', async () => {
    const fake = await harness.startFake();
    const original = createFakeTokenSource({ fake, accountId: 'default' });
    const client = harness.createClient({ accounts: [original] });
    fake.inject(faults.freeQuotaExceeded());
    await expect(client.chatCompletion({ payload: chatPayload() })).rejects.toMatchObject({
      code: 'QWEN_RELAY_UPSTREAM_QUOTA_EXCEEDED',
    });
    await expect(client.chatCompletion({ payload: chatPayload() })).rejects.toBeInstanceOf(
      AllAccountsCoolingDownError,
    );

    const discovered = createFakeTokenSource({ fake, accountId: 'work' });
    client.setAccounts([original, discovered]);

    expect(client.getAccountStates()).toEqual([
      expect.objectContaining({ accountId: 'default', reason: 'tokens-per-minute' }),
      { accountId: 'work' },
    ]);
    await expect(client.chatCompletion({ payload: chatPayload() })).resolves.toMatchObject({
      accountId: 'work',
    });
  });

  it('an empty list fails calls with the no-credentials 401; a call in flight still finishes', async () => {
    const fake = await harness.startFake();
    const account = createFakeTokenSource({ fake });
    const client = harness.createClient({ accounts: [account] });
    fake.inject({
      endpoint: 'chat',
      action: { type: 'delay-headers', delayInMs: 300 },
    });

    const inFlight = client.chatCompletion({ payload: chatPayload() });
    await expect.poll(() => fake.counters.chatCalls).toBe(1);
    client.setAccounts([]);

    const failure = await client
      .chatCompletion({ payload: chatPayload() })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NoAccountsError);
    expect(isQwenRelayError(failure)).toBe(true);
    expect(failure).toMatchObject({
      code: 'QWEN_RELAY_NO_CREDENTIALS',
      status: 401,
      message: expect.stringContaining('qwen-relay auth login'),
    });
    await expect(inFlight).resolves.toMatchObject({ status: 200, accountId: 'default' });
    expect(client.getAccountStates()).toEqual([]);

    client.setAccounts([account]);
    await expect(client.chatCompletion({ payload: chatPayload() })).resolves.toMatchObject({
      status: 200,
    });
  });
});
