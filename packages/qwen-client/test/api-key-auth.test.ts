import type { InvalidationReason, TokenSource } from '@qwen-relay/contracts';
import { faults } from '@qwen-relay/fake-qwen';
import { describe, expect, it } from 'vitest';
import { UpstreamAuthError } from '../src/errors/upstream-errors';
import { chatPayload, useFakeHarness } from './helpers/setup-fake';

/** A static API key as the README shows it: `invalidate` has nothing to refresh. */
function createApiKeySource({
  accountId,
  apiKey,
  baseUrl,
}: {
  accountId: string;
  apiKey: string;
  baseUrl: string;
}): TokenSource & { invalidations: InvalidationReason[] } {
  const invalidations: InvalidationReason[] = [];
  const token = { accessToken: apiKey, authType: 'api-key' as const, resourceUrl: baseUrl };
  return {
    accountId,
    invalidations,
    getAccessToken: async () => token,
    invalidate: async (failed, reason) => {
      invalidations.push(reason);
      return failed;
    },
  };
}

describe('API-key sources on 401/403 (loopback against fake-qwen)', () => {
  const harness = useFakeHarness();

  it('a 401 is final at once when invalidate hands back the same key: one upstream call', async () => {
    const fake = await harness.startFake({ apiKeys: ['sk-static-one'] });
    const source = createApiKeySource({
      accountId: 'api-key',
      apiKey: 'sk-static-one',
      baseUrl: fake.url,
    });
    fake.inject(faults.unauthorized({ times: 2 }));
    const client = harness.createClient({ accounts: [source] });

    const failure = await client
      .chatCompletion({ payload: chatPayload() })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UpstreamAuthError);
    expect(failure).toMatchObject({ status: 401, upstreamStatus: 401 });
    expect(fake.counters.chatCalls).toBe(1);
    expect(source.invalidations).toEqual(['unauthorized']);
    expect(
      (failure as UpstreamAuthError).attempts.map((record) => [record.status, record.outcome]),
    ).toEqual([[401, 'final']]);
    expect(harness.events.map((event) => event.type)).not.toContain('auth-retry');
    expect(JSON.stringify(failure)).not.toContain('sk-static-one');
  });

  it('a 403 on a rejected key rotates to the next account without re-sending the key', async () => {
    const fake = await harness.startFake({ apiKeys: ['sk-static-one', 'sk-static-two'] });
    const first = createApiKeySource({
      accountId: 'one',
      apiKey: 'sk-static-one',
      baseUrl: fake.url,
    });
    const second = createApiKeySource({
      accountId: 'two',
      apiKey: 'sk-static-two',
      baseUrl: fake.url,
    });
    fake.inject(faults.forbidden());
    const client = harness.createClient({ accounts: [first, second] });

    const result = await client.chatCompletion({ payload: chatPayload() });

    expect(result).toMatchObject({ status: 200, accountId: 'two' });
    expect(fake.counters.chatCalls).toBe(2);
    expect(first.invalidations).toEqual(['forbidden']);
    expect(
      result.attempts.map((record) => [record.accountId, record.status, record.outcome]),
    ).toEqual([
      ['one', 403, 'rotate-account'],
      ['two', 200, 'success'],
    ]);
    expect(client.getAccountStates()[0]).toMatchObject({ accountId: 'one', reason: 'auth' });
  });
});
