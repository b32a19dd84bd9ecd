import { createMemoryStateStore, type StateStore } from '@qwen-relay/state-store';
import { describe, expect, it } from 'vitest';
import { createResponseStore } from './create-response-store';

function record(id: string, text = 'Hello') {
  return {
    input: [{ type: 'message', role: 'user', content: 'Hi' }],
    response: {
      id,
      object: 'response',
      status: 'completed',
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] }],
    },
  };
}

function setup({
  maxEntries = 10,
  maxResponseBytes = 10_000,
  store,
}: {
  maxEntries?: number;
  maxResponseBytes?: number;
  store?: StateStore;
} = {}) {
  let nowInMs = 1_000_000;
  const stateStore = store ?? createMemoryStateStore({ now: () => nowInMs });
  const errors: unknown[] = [];
  const responses = createResponseStore({
    store: stateStore,
    ttlInMs: 60_000,
    maxResponseBytes,
    maxEntries,
    now: () => nowInMs,
    onStoreError: (error) => errors.push(error),
  });
  return {
    responses,
    stateStore,
    errors,
    advance: (byInMs: number) => {
      nowInMs += byInMs;
    },
  };
}

describe('createResponseStore', () => {
  it('keeps a response with its conversation until the TTL runs out', async () => {
    const { responses, advance } = setup();
    expect(await responses.save(record('resp_1'))).toBeUndefined();
    expect(await responses.load('resp_1')).toEqual(record('resp_1'));
    expect(await responses.load('resp_unknown')).toBeUndefined();
    advance(60_001);
    expect(await responses.load('resp_1')).toBeUndefined();
  });

  it('does not keep a response larger than maxResponseBytes', async () => {
    const { responses } = setup({ maxResponseBytes: 1_024 });
    expect(await responses.save(record('resp_big', 'x'.repeat(2_000)))).toBe('too-large');
    expect(await responses.load('resp_big')).toBeUndefined();
  });

  it('drops the oldest entries past maxEntries', async () => {
    const { responses, stateStore, advance } = setup({ maxEntries: 2 });
    for (const id of ['resp_a', 'resp_b', 'resp_c']) {
      await responses.save(record(id));
      advance(1);
    }
    expect(await responses.load('resp_a')).toBeUndefined();
    expect(await responses.load('resp_b')).toBeDefined();
    expect(await responses.load('resp_c')).toBeDefined();
    expect(await stateStore.listKeys('response-index:')).toHaveLength(2);
  });

  it('delete forgets a response and its index entry; a second delete finds nothing', async () => {
    const { responses, stateStore } = setup();
    await responses.save(record('resp_1'));
    expect(await responses.delete('resp_1')).toBe(true);
    expect(await responses.load('resp_1')).toBeUndefined();
    expect(await stateStore.listKeys('response-index:')).toEqual([]);
    expect(await responses.delete('resp_1')).toBe(false);
  });

  it('a damaged entry counts as unknown; a failing store is reported, never thrown', async () => {
    const { responses, stateStore, errors } = setup();
    await stateStore.set({ key: 'response:resp_bad', value: '{"input":"no"' });
    expect(await responses.load('resp_bad')).toBeUndefined();
    await stateStore.close();
    const failing = setup({
      store: {
        ...stateStore,
        set: async () => {
          throw new Error('store down');
        },
      },
    });
    expect(await failing.responses.save(record('resp_1'))).toBe('store-failed');
    expect(failing.errors).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
