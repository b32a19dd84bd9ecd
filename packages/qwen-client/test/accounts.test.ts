import { faults } from '@qwen-relay/fake-qwen';
import { type ScriptedServer, startScriptedServer } from '@qwen-relay/fake-qwen/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AllAccountsCoolingDownError,
  QuotaExceededError,
  UpstreamAuthError,
} from '../src/errors/upstream-errors';
import { createFakeTokenSource } from './helpers/create-fake-token-source';
import { createStubTokenSource } from './helpers/create-stub-token-source';
import { sendJson } from './helpers/send-json';
import { chatPayload, createRecordingSleep, useFakeHarness } from './helpers/setup-fake';

describe('accounts: rotation and cooldowns (loopback against fake-qwen)', () => {
  const harness = useFakeHarness();

  it('insufficient_quota → no retry on that account, rotates to the next one', async () => {
    const fake = await harness.startFake();
    const first = createFakeTokenSource({ fake, accountId: 'first' });
    const second = createFakeTokenSource({ fake, accountId: 'second' });
    fake.inject(faults.insufficientQuota());
    const clock = { nowInMs: 1_000_000 };
    const client = harness.createClient({ accounts: [first, second], now: () => clock.nowInMs });

    const result = await client.chatCompletion({ payload: chatPayload() });

    expect(result).toMatchObject({ status: 200, accountId: 'second' });
    expect(fake.counters.chatCalls).toBe(2);
    expect(
      fake.requests.filter((request) => request.bearer === first.current.accessToken),
    ).toHaveLength(1);
    expect(result.attempts.map((attempt) => [attempt.accountId, attempt.outcome])).toEqual([
      ['first', 'rotate-account'],
      ['second', 'success'],
    ]);
    expect(client.getAccountStates()).toEqual([
      { accountId: 'first', coolingDownUntilInMs: 1_000_000 + 60_000, reason: 'tokens-per-minute' },
      { accountId: 'second' },
    ]);
    // the next call goes straight to the healthy account
    await client.chatCompletion({ payload: chatPayload() });
    expect(fake.lastRequest('/v1/chat/completions')?.bearer).toBe(second.current.accessToken);
    // and the cooldown heals by time alone
    clock.nowInMs += 60_000;
    expect(client.getAccountStates()[0]).toEqual({ accountId: 'first' });
  });

  it('free allocated quota on the only account → QuotaExceededError, one upstream call', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.freeQuotaExceeded());
    const client = harness.createClient({ accounts: [createFakeTokenSource({ fake })] });

    const failure = await client
      .chatCompletion({ payload: chatPayload() })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(QuotaExceededError);
    expect(failure).toMatchObject({ code: 'QWEN_RELAY_UPSTREAM_QUOTA_EXCEEDED', status: 429 });
    expect(fake.counters.chatCalls).toBe(1);
    expect(harness.events).toContainEqual(
      expect.objectContaining({
        type: 'account-cooldown',
        accountId: 'default',
        reason: 'tokens-per-minute',
      }),
    );
  });

  it('all accounts cooling → fast 429 with the earliest retry time, no upstream call', async () => {
    const fake = await harness.startFake();
    const clock = { nowInMs: 5_000_000 };
    fake.inject(faults.freeQuotaExceeded());
    fake.inject(faults.rateLimited({ retryAfterInSeconds: 30 }));
    fake.inject(faults.insufficientQuota());
    const client = harness.createClient({
      accounts: [
        createFakeTokenSource({ fake, accountId: 'a' }),
        createFakeTokenSource({ fake, accountId: 'b' }),
        createFakeTokenSource({ fake, accountId: 'c' }),
      ],
      now: () => clock.nowInMs,
      retry: { sleep: createRecordingSleep().sleep },
    });

    // a: quota (60 s), b: rate limit with Retry-After 30 s, c: quota → every account is cold
    await expect(client.chatCompletion({ payload: chatPayload() })).rejects.toBeInstanceOf(
      QuotaExceededError,
    );
    expect(fake.counters.chatCalls).toBe(3);

    clock.nowInMs += 10_000;
    const failure = await client
      .chatCompletion({ payload: chatPayload() })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AllAccountsCoolingDownError);
    expect(failure).toMatchObject({
      code: 'QWEN_RELAY_ALL_ACCOUNTS_COOLING_DOWN',
      status: 429,
      retryAfterInMs: 20_000,
    });
    expect(fake.counters.chatCalls).toBe(3);
    // healing: once b's Retry-After has passed it serves again without any restart
    clock.nowInMs += 20_000;
    await expect(client.chatCompletion({ payload: chatPayload() })).resolves.toMatchObject({
      accountId: 'b',
    });
  });

  it('repeated auth failure on one account cools it down and rotates', async () => {
    const fake = await harness.startFake();
    fake.inject(faults.unauthorized({ times: 2 }));
    const first = createFakeTokenSource({ fake, accountId: 'first' });
    const second = createFakeTokenSource({ fake, accountId: 'second' });
    const client = harness.createClient({ accounts: [first, second] });

    const result = await client.chatCompletion({ payload: chatPayload() });

    expect(result.accountId).toBe('second');
    expect(first.refreshes).toBe(1);
    expect(second.refreshes).toBe(0);
    expect(client.getAccountStates()[0]).toMatchObject({ accountId: 'first', reason: 'auth' });
  });

  it('a failing token source is skipped for the next account', async () => {
    const fake = await harness.startFake();
    const broken = {
      accountId: 'broken',
      getAccessToken: async () => {
        throw Object.assign(new Error('run `qwen-relay auth login`'), {
          code: 'QWEN_RELAY_NEEDS_REAUTH',
        });
      },
      invalidate: async () => {
        throw new Error('unreachable');
      },
    };
    const client = harness.createClient({
      accounts: [broken, createFakeTokenSource({ fake, accountId: 'ok' })],
    });
    await expect(client.chatCompletion({ payload: chatPayload() })).resolves.toMatchObject({
      accountId: 'ok',
    });

    const alone = harness.createClient({ accounts: [broken] });
    await expect(alone.chatCompletion({ payload: chatPayload() })).rejects.toMatchObject({
      code: 'QWEN_RELAY_NEEDS_REAUTH',
    });
  });

  it('uses the preferred account first', async () => {
    const fake = await harness.startFake();
    const a = createFakeTokenSource({ fake, accountId: 'a' });
    const b = createFakeTokenSource({ fake, accountId: 'b' });
    const client = harness.createClient({ accounts: [a, b], preferredAccountId: 'b' });
    const first = await client.chatCompletion({ payload: chatPayload() });
    const second = await client.chatCompletion({ payload: chatPayload() });
    expect([first.accountId, second.accountId]).toEqual(['b', 'b']);
  });
});

describe('cooldown cleared by success (scripted loopback server)', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
  });
  const harness = useFakeHarness();

  it('a success of the cooling account clears its cooldown at once', async () => {
    let releaseFirst: () => void = () => {};
    const firstMayAnswer = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    server = await startScriptedServer(async ({ index, response }) => {
      if (index === 1) {
        await firstMayAnswer;
        sendJson(response, 200, { id: 'late-success' });
        return;
      }
      if (index === 2) {
        sendJson(response, 429, {
          error: { code: 'insufficient_quota', message: 'Free allocated quota exceeded.' },
        });
        return;
      }
      sendJson(response, 200, { id: `answer-${index}` });
    });
    const tokens = createStubTokenSource({ resourceUrl: server.url });
    const client = harness.createClient({ accounts: [tokens] });
    const scripted = server;

    const slow = client.chatCompletion({ payload: chatPayload() });
    await expect.poll(() => scripted.requests.length).toBe(1);
    await expect(client.chatCompletion({ payload: chatPayload() })).rejects.toBeInstanceOf(
      QuotaExceededError,
    );
    expect(client.getAccountStates()[0]).toMatchObject({ reason: 'tokens-per-minute' });
    await expect(client.chatCompletion({ payload: chatPayload() })).rejects.toBeInstanceOf(
      AllAccountsCoolingDownError,
    );

    releaseFirst();
    await expect(slow).resolves.toMatchObject({ body: { id: 'late-success' } });

    expect(client.getAccountStates()).toEqual([{ accountId: 'default' }]);
    expect(harness.events).toContainEqual({
      type: 'account-recovered',
      accountId: 'default',
      after: 'success',
    });
    await expect(client.chatCompletion({ payload: chatPayload() })).resolves.toMatchObject({
      body: { id: 'answer-3' },
    });
  });

  it('keeps an auth failure on a single account a 401, not a cooldown', async () => {
    server = await startScriptedServer(({ response }) =>
      sendJson(response, 401, {
        error: { code: 'invalid_api_key', message: 'invalid access token' },
      }),
    );
    const client = harness.createClient({
      accounts: [createStubTokenSource({ resourceUrl: server.url })],
    });
    await expect(client.chatCompletion({ payload: chatPayload() })).rejects.toBeInstanceOf(
      UpstreamAuthError,
    );
    await expect(client.chatCompletion({ payload: chatPayload() })).rejects.toBeInstanceOf(
      UpstreamAuthError,
    );
    expect(client.getAccountStates()).toEqual([{ accountId: 'default' }]);
  });
});
