import type { InvalidationReason, TokenSource, UpstreamToken } from '@qwen-relay/contracts';
import { faults } from '@qwen-relay/fake-qwen';
import { describe, expect, it } from 'vitest';
import { chatPayload, useFakeHarness } from './helpers/setup-fake';

/** A key source that counts how the client asked for its token. */
function createCountingSource({
  baseUrl,
  keys,
  ready,
}: {
  baseUrl: string;
  /** the key served, then the one `invalidate` hands out */
  keys: [string, string];
  /** whether peekAccessToken has the token at hand */
  ready: () => boolean;
}): TokenSource & { asked: string[] } {
  const asked: string[] = [];
  let current: UpstreamToken = { accessToken: keys[0], authType: 'api-key', resourceUrl: baseUrl };
  return {
    accountId: 'counting',
    asked,
    getAccessToken: async () => {
      asked.push('get');
      return current;
    },
    peekAccessToken: () => {
      asked.push(ready() ? 'peek' : 'peek-none');
      return ready() ? current : undefined;
    },
    invalidate: async (_failed: UpstreamToken, reason: InvalidationReason) => {
      asked.push(`invalidate:${reason}`);
      current = { ...current, accessToken: keys[1] };
      return current;
    },
  };
}

describe('a token source with peekAccessToken (loopback against fake-qwen)', () => {
  const harness = useFakeHarness();

  it('takes a ready token without getAccessToken', async () => {
    const fake = await harness.startFake({ apiKeys: ['sk-peek-one', 'sk-peek-two'] });
    const source = createCountingSource({
      baseUrl: fake.url,
      keys: ['sk-peek-one', 'sk-peek-two'],
      ready: () => true,
    });
    const client = harness.createClient({ accounts: [source] });
    const result = await client.chatCompletion({ payload: chatPayload() });
    expect(result.status).toBe(200);
    expect(source.asked).toEqual(['peek']);
  });

  it('asks getAccessToken when the source has nothing ready', async () => {
    const fake = await harness.startFake({ apiKeys: ['sk-peek-one', 'sk-peek-two'] });
    const source = createCountingSource({
      baseUrl: fake.url,
      keys: ['sk-peek-one', 'sk-peek-two'],
      ready: () => false,
    });
    const client = harness.createClient({ accounts: [source] });
    expect((await client.chatCompletion({ payload: chatPayload() })).status).toBe(200);
    expect(source.asked).toEqual(['peek-none', 'get']);
  });

  it('after a 401 hands the failed token back through invalidate, never a peek', async () => {
    const fake = await harness.startFake({ apiKeys: ['sk-peek-one', 'sk-peek-two'] });
    const source = createCountingSource({
      baseUrl: fake.url,
      keys: ['sk-peek-one', 'sk-peek-two'],
      ready: () => true,
    });
    fake.inject(faults.unauthorized({ times: 1 }));
    const client = harness.createClient({ accounts: [source] });
    const result = await client.chatCompletion({ payload: chatPayload() });
    expect(result.status).toBe(200);
    expect(source.asked).toEqual(['peek', 'invalidate:unauthorized']);
    expect(result.attempts.map((record) => [record.status, record.outcome])).toEqual([
      [401, 'auth'],
      [200, 'success'],
    ]);
  });
});
