import { createMemoryStateStore, type IncrementStateOptions } from '@qwen-relay/state-store';
import { describe, expect, it } from 'vitest';
import type { ProxyAccount } from '../accounts/create-proxy-accounts';
import { createQuotaScheduling } from './create-quota-scheduling';

describe('createQuotaScheduling.recordServed', () => {
  it('counts the plan windows and the usage of a served request in one store call', async () => {
    const store = createMemoryStateStore();
    const calls: Array<{ method: string; keys: string[] }> = [];
    const incrementMany = store.incrementMany.bind(store);
    store.incrementMany = (operations: readonly IncrementStateOptions[]) => {
      calls.push({ method: 'incrementMany', keys: operations.map(({ key }) => key) });
      return incrementMany(operations);
    };
    const increment = store.increment.bind(store);
    store.increment = (options: IncrementStateOptions) => {
      calls.push({ method: 'increment', keys: [options.key] });
      return increment(options);
    };
    const scheduling = createQuotaScheduling({ store });
    await scheduling.setAccounts([]);
    scheduling.recordServed({
      accountId: 'cp-1',
      model: 'qwen3-coder-plus',
      client: 'alice',
      sessionKey: undefined,
      usage: { promptTokens: 10, completionTokens: 5, cachedTokens: 0 },
    });
    await expect.poll(async () => (await scheduling.listUsage()).length).toBe(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe('incrementMany');
    // three plan windows, then requests, prompt and completion tokens (no zero counter)
    expect(calls[0]?.keys).toHaveLength(6);
    expect(await scheduling.listUsage()).toEqual([
      {
        client: 'alice',
        accountId: 'cp-1',
        model: 'qwen3-coder-plus',
        requests: 1,
        promptTokens: 10,
        completionTokens: 5,
        cachedTokens: 0,
      },
    ]);
    await scheduling.close();
  });

  it('sums the requests of one interval into one store call and counts windows at once', async () => {
    const store = createMemoryStateStore();
    const calls: IncrementStateOptions[][] = [];
    const incrementMany = store.incrementMany.bind(store);
    store.incrementMany = (operations: readonly IncrementStateOptions[]) => {
      calls.push([...operations]);
      return incrementMany(operations);
    };
    // a long interval: everything after the first request waits for the next write
    const scheduling = createQuotaScheduling({ store, counterIntervalInMs: 60_000 });
    await scheduling.setAccounts([
      { accountId: 'cp-1', config: { tier: 'lite' } } as unknown as ProxyAccount,
    ]);
    for (let index = 0; index < 100; index++) {
      scheduling.recordServed({
        accountId: 'cp-1',
        model: 'qwen3-coder-plus',
        client: index % 2 === 0 ? 'alice' : 'bob',
        usage: { promptTokens: 10, completionTokens: 5, cachedTokens: 2 },
      });
    }
    // the scheduler's view does not wait for the store
    expect(scheduling.getWindows('cp-1')[0]).toMatchObject({ name: '5h', used: 100, limit: 1200 });
    const rows = await scheduling.listUsage();
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(rows).toEqual(
      ['alice', 'bob'].map((client) => ({
        client,
        accountId: 'cp-1',
        model: 'qwen3-coder-plus',
        requests: 50,
        promptTokens: 500,
        completionTokens: 250,
        cachedTokens: 100,
      })),
    );
    const windowKeys = calls.flat().filter(({ key }) => key.startsWith('windows:'));
    expect(windowKeys.reduce((sum, { by = 1 }) => sum + by, 0)).toBe(300);
    await scheduling.close();
  });

  it('writes the pending counts when it closes', async () => {
    const store = createMemoryStateStore();
    const scheduling = createQuotaScheduling({ store, counterIntervalInMs: 60_000 });
    await scheduling.setAccounts([]);
    const served = { accountId: 'k', model: 'm', client: 'c' };
    scheduling.recordServed(served);
    scheduling.recordServed(served);
    const close = store.close.bind(store);
    let countAtClose: string | undefined;
    store.close = async () => {
      countAtClose = await store.get('usage:c:k:m:requests');
      await close();
    };
    await scheduling.close();
    expect(countAtClose).toBe('2');
  });
});
