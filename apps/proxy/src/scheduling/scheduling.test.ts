import { createHash } from 'node:crypto';
import { createMemoryStateStore } from '@qwen-relay/state-store';
import { describe, expect, it } from 'vitest';
import { createSessionAffinity } from './create-session-affinity';
import { createUsageRecorder } from './create-usage-recorder';
import { countRememberedSessionKeys, deriveSessionKey } from './derive-session-key';
import { deriveRequestSessionKey } from './identify-request';

describe('deriveSessionKey', () => {
  it('prefers x-session-id, then user, then the prompt; same input → same key', () => {
    const bySession = deriveSessionKey({ sessionId: 's1', user: 'u', systemText: 'sys' });
    expect(bySession).toBe(deriveSessionKey({ sessionId: 's1' }));
    expect(deriveSessionKey({ user: 'u', systemText: 'sys' })).toBe(
      deriveSessionKey({ user: 'u' }),
    );
    expect(deriveSessionKey({ systemText: 'sys', firstUserText: 'hi' })).toBe(
      deriveSessionKey({ systemText: 'sys', firstUserText: 'hi' }),
    );
    expect(deriveSessionKey({ systemText: 'sys', firstUserText: 'hi' })).not.toBe(
      deriveSessionKey({ systemText: 'sys', firstUserText: 'other' }),
    );
    expect(deriveSessionKey({ sessionId: 'u' })).not.toBe(deriveSessionKey({ user: 'u' }));
    expect(deriveSessionKey({})).toBeUndefined();
  });

  it('keeps the keys earlier versions stored (sha256, base64url, 22 characters)', () => {
    const digestOf = (source: string) =>
      createHash('sha256').update(source).digest('base64url').slice(0, 22);
    expect(deriveSessionKey({ sessionId: 's1' })).toBe(digestOf('session\u0000s1'));
    expect(deriveSessionKey({ user: 'ü' })).toBe(digestOf('user\u0000ü'));
    expect(deriveSessionKey({ systemText: 'sys', firstUserText: 'hi' })).toBe(
      digestOf('prompt\u0000sys\u0000hi'),
    );
  });

  it('gives the same digest when a conversation repeats, and remembers a bounded number', () => {
    const digestOf = (text: string) =>
      createHash('sha256').update(text).digest('base64url').slice(0, 22);
    const long = 'x'.repeat(20_000);
    for (let round = 0; round < 2; round++) {
      for (let index = 0; index < 300; index++) {
        expect(deriveSessionKey({ systemText: 'sys', firstUserText: `hi ${index}` })).toBe(
          digestOf(`prompt\u0000sys\u0000hi ${index}`),
        );
      }
      expect(deriveSessionKey({ systemText: long })).toBe(digestOf(`prompt\u0000${long}\u0000`));
    }
    expect(countRememberedSessionKeys()).toBeLessThanOrEqual(256);
  });

  it('derives a request key from the header, the user, or the prompt, in that order', () => {
    const messages = [
      { role: 'system', content: 'sys' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ];
    expect(
      deriveRequestSessionKey({ headers: { 'x-session-id': 's1' }, user: 'u', messages }),
    ).toBe(deriveSessionKey({ sessionId: 's1' }));
    expect(deriveRequestSessionKey({ headers: { 'x-session-id': '' }, user: 'u', messages })).toBe(
      deriveSessionKey({ user: 'u' }),
    );
    expect(deriveRequestSessionKey({ headers: {}, user: '', messages })).toBe(
      deriveSessionKey({ systemText: 'sys', firstUserText: 'a\nb' }),
    );
    expect(deriveRequestSessionKey({ headers: {}, systemText: 'own', user: 7, messages })).toBe(
      deriveSessionKey({ systemText: 'own', firstUserText: 'a\nb' }),
    );
    expect(deriveRequestSessionKey({ headers: {}, messages: [] })).toBeUndefined();
  });

  it('keeps no prompt text in the key', () => {
    expect(deriveSessionKey({ systemText: 'secret system prompt' })).not.toContain('secret');
  });
});

describe('createSessionAffinity', () => {
  it('remembers through the store, so another process finds the same account', async () => {
    const store = createMemoryStateStore();
    await createSessionAffinity({ store }).remember({ sessionKey: 'k', accountId: 'cp-2' });
    expect(await createSessionAffinity({ store }).lookup('k')).toBe('cp-2');
    expect(await createSessionAffinity({ store }).lookup('unknown')).toBeUndefined();
  });

  it('writes a busy conversation once per quarter ttl, and moves it when the account changes', async () => {
    const store = createMemoryStateStore();
    let writes = 0;
    const set = store.set.bind(store);
    store.set = async (options) => {
      writes += 1;
      await set(options);
    };
    let nowInMs = 0;
    const affinity = createSessionAffinity({ store, ttlInMs: 1_000, now: () => nowInMs });
    for (let turn = 0; turn < 10; turn++)
      await affinity.remember({ sessionKey: 'k', accountId: 'a' });
    expect(writes).toBe(1);
    nowInMs = 300;
    await affinity.remember({ sessionKey: 'k', accountId: 'a' });
    expect(writes).toBe(2);
    await affinity.remember({ sessionKey: 'k', accountId: 'b' });
    expect(writes).toBe(3);
    expect(await affinity.lookup('k')).toBe('b');
  });

  it('answers a cached conversation at once, and asks the store only for an unknown one', async () => {
    const store = createMemoryStateStore();
    let reads = 0;
    const get = store.get.bind(store);
    store.get = async (key) => {
      reads += 1;
      return get(key);
    };
    const affinity = createSessionAffinity({ store });
    expect(affinity.remember({ sessionKey: 'k', accountId: 'a' })).toBeInstanceOf(Promise);
    // the store has it already: nothing to write, nothing to wait for
    expect(affinity.remember({ sessionKey: 'k', accountId: 'a' })).toBeUndefined();
    expect(affinity.lookup('k')).toBe('a');
    expect(reads).toBe(0);
    const unknown = affinity.lookup('other');
    expect(unknown).toBeInstanceOf(Promise);
    expect(await unknown).toBeUndefined();
    expect(reads).toBe(1);
  });
});

describe('createUsageRecorder', () => {
  it('sums requests and tokens per client, account and model', async () => {
    const store = createMemoryStateStore();
    const usage = createUsageRecorder({ store });
    await usage.record({
      client: 'ci',
      accountId: 'cp-1',
      model: 'qwen3.6-plus',
      promptTokens: 10,
      completionTokens: 5,
      cachedTokens: 4,
    });
    await usage.record({
      client: 'ci',
      accountId: 'cp-1',
      model: 'qwen3.6-plus',
      promptTokens: 1,
      completionTokens: 1,
    });
    await usage.record({ client: 'alice:laptop', accountId: 'std-1', model: 'qwen3.8-max' });
    expect(await createUsageRecorder({ store }).list()).toEqual([
      {
        client: 'alice:laptop',
        accountId: 'std-1',
        model: 'qwen3.8-max',
        requests: 1,
        promptTokens: 0,
        completionTokens: 0,
        cachedTokens: 0,
      },
      {
        client: 'ci',
        accountId: 'cp-1',
        model: 'qwen3.6-plus',
        requests: 2,
        promptTokens: 11,
        completionTokens: 6,
        cachedTokens: 4,
      },
    ]);
  });
});
