import { createMemoryStateStore, type IncrementStateOptions } from '@qwen-relay/state-store';
import { describe, expect, it } from 'vitest';
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
});
