import { describe, expect, it } from 'vitest';
import { sleepWithSignal } from './sleep-with-signal';

function countActiveTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

describe('sleepWithSignal', () => {
  it('keeps the process alive while somebody awaits it (a standalone CLI must not exit mid-poll)', async () => {
    const before = countActiveTimers();
    const pending = sleepWithSignal({ delayInMs: 20 });
    expect(countActiveTimers()).toBe(before + 1);
    await pending;
    expect(countActiveTimers()).toBe(before);
  });

  it('rejects with the abort reason and clears its timer', async () => {
    const controller = new AbortController();
    const before = countActiveTimers();
    const pending = sleepWithSignal({ delayInMs: 60_000, signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(countActiveTimers()).toBe(before);
  });

  it('rejects at once on an aborted signal, with an AbortError when it carries no reason', async () => {
    const signal = AbortSignal.abort();
    await expect(sleepWithSignal({ delayInMs: 60_000, signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
